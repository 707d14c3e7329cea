import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery_reports.vendor_message_id` nullable: a report that closed its message stores NULL there, the
 * message row holding the same vendor id from that final outcome on (a final message's vendor id never changes).
 * ~37 WAL bytes a message. A reader takes `COALESCE(d.vendor_message_id, m.vendor_message_id)` through
 * `d.message_id` (`reportVendorId` in `reports/report-store.ts`). Reports that matched nothing, came before their
 * message's send was recorded, or did not close their message keep the vendor's id as before; rows written
 * before this migration keep theirs.
 */
export class ReportVendorId1766000000003 implements MigrationInterface {
  name = 'ReportVendorId1766000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_reports ALTER COLUMN vendor_message_id DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE delivery_reports d SET vendor_message_id = m.vendor_message_id
         FROM messages m WHERE d.vendor_message_id IS NULL AND m.id = d.message_id AND m.vendor_message_id IS NOT NULL`,
    );
    // a report whose message the retention removed already (the report goes at its own retention soon after)
    await q.query(`UPDATE delivery_reports SET vendor_message_id = '' WHERE vendor_message_id IS NULL`);
    await q.query(`ALTER TABLE delivery_reports ALTER COLUMN vendor_message_id SET NOT NULL`);
  }
}
