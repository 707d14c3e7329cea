import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `delivery_reports` is an append-only log (every report received, by time) read three ways: a message's report
 * timeline (`GET /v1/messages/:id/reports`, by message_id), the reports still waiting for their message (by
 * plugin and vendor id, unmatched rows only) and retention (by received_at, oldest first). Its indexes now match
 * those reads, and a matched report writes one B-tree entry instead of two:
 *
 * - `received_at` as BRIN instead of B-tree: reports arrive in time order, so the block ranges of the heap are
 *   already sorted; a BRIN index writes nothing per row (a range is summarized once) and retention still finds
 *   the old ranges without reading the table.
 * - the timeline's `message_id` index comes back (partial: matched rows only). Without it (1765100000100 dropped
 *   it as unread) every timeline read scanned the whole table.
 * - no primary key on `id`: nothing looks a report up by it (the early-report match updates by its unmatched
 *   (plugin, vendor id) index, retention deletes by ctid). `id` stays, as the arrival order.
 */
export class ReportAudit1765300000000 implements MigrationInterface {
  name = 'ReportAudit1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_reports DROP CONSTRAINT delivery_reports_pkey`);
    await q.query(`DROP INDEX delivery_reports_received`);
    await q.query(`CREATE INDEX delivery_reports_received ON delivery_reports USING brin (received_at)`);
    await q.query(
      `CREATE INDEX delivery_reports_message ON delivery_reports (message_id) WHERE message_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX delivery_reports_message`);
    await q.query(`DROP INDEX delivery_reports_received`);
    await q.query(`CREATE INDEX delivery_reports_received ON delivery_reports (received_at)`);
    await q.query(`ALTER TABLE delivery_reports ADD PRIMARY KEY (id)`);
  }
}
