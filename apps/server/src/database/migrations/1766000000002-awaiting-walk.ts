import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `awaiting_reports` without its walk index `(plugin_id, sent_at, message_id)`: an entry written with every
 * awaiting row (~90–107 WAL bytes a message, one of its 11 index entries) for two readers that do without it.
 * The report poller walks a plugin's awaiting rows through the primary key `(plugin_id, vendor_message_id)`, in
 * vendor id order rather than oldest first (every row is still asked about once per walk); the expiry sweep finds
 * the rows sent before the timeout by a scan of the table, which costs more than the index's (its `sent_at` was
 * checked in the index, no row read), so the dispatcher looks once a minute instead of every sweep.
 */
export class AwaitingWalk1766000000002 implements MigrationInterface {
  name = 'AwaitingWalk1766000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS awaiting_reports_walk`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX awaiting_reports_walk ON awaiting_reports (plugin_id, sent_at, message_id)`);
  }
}
