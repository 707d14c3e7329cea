import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery reports as received (webhook or polling), kept for audit whether or not they matched a message:
 * a report for an id we do not know yet (it can arrive before the send's outcome is recorded) is kept
 * unmatched and applied once the message's vendor id is stored.
 */
export class Dispatch1763900000000 implements MigrationInterface {
  name = 'Dispatch1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plugin_id text NOT NULL,
        vendor_message_id text NOT NULL,
        ref text,
        status text NOT NULL CHECK (status IN ('SENT', 'DELIVERED', 'FAILED', 'EXPIRED')),
        vendor_code text,
        vendor_message text,
        telco text,
        sent_at timestamptz,
        completed_at timestamptz,
        reported_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        source text NOT NULL CHECK (source IN ('webhook', 'polling')),
        message_id uuid,
        raw jsonb
      )`);
    await q.query(`CREATE INDEX delivery_reports_vendor ON delivery_reports (plugin_id, vendor_message_id)`);
    // Reports still waiting for their message (applied when the send's vendor id is recorded).
    await q.query(
      `CREATE INDEX delivery_reports_unmatched ON delivery_reports (received_at) WHERE message_id IS NULL`,
    );
    await q.query(
      `CREATE INDEX delivery_reports_message ON delivery_reports (message_id) WHERE message_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery_reports`);
  }
}
