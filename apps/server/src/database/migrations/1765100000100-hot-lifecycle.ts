import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer index entries per message, measured by the bench's per-table breakdown (20,000 messages, PostgreSQL 15)
 * after 1765100000000: `messages` 15 entries per message (7 indexes × the insert and 1.14 updates that were not
 * HOT), `delivery_reports` 5, `message_queue` 4, `awaiting_reports` 2.
 *
 * - The lifecycle updates the rows of a batch together (a claim's 500, a vendor call's 100), and rows accepted
 *   together sit together: one statement then needs a new version of every row of a page on that same page,
 *   before any old version is dead. With 30 % free only a third of them fit and the rest went to another page
 *   (not HOT: an entry in every index). Half of each page free (fillfactor 50) takes a whole page's batch; the
 *   next statement finds the previous versions dead and prunes them.
 * - The queue's claim no longer moves `visible_at` (an indexed column): the lease is `lease_until`, unindexed,
 *   so a claim is a HOT update. A claim walks past the rows leased at the head of the visibility order (at most
 *   the batches in flight), which it skips by `lease_until`.
 * - `delivery_reports` keeps one index for the reports still waiting for their message, (plugin, vendor id)
 *   of unmatched rows only (the early-report check reads exactly that), instead of three: the full
 *   (plugin, vendor id) index and the one on message_id were read by nothing, and the unmatched one was on
 *   received_at, which no query of unmatched reports orders by.
 */
export class HotLifecycle1765100000100 implements MigrationInterface {
  name = 'HotLifecycle1765100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_queue ADD COLUMN lease_until timestamptz`);
    // a lease of the previous shape: the visibility time was the lease end
    await q.query(`UPDATE message_queue SET lease_until = visible_at WHERE lease_owner IS NOT NULL`);
    await q.query(`ALTER TABLE message_queue SET (fillfactor = ${LIFECYCLE_FILLFACTOR})`);
    for (const partition of await messagePartitions(q))
      await q.query(`ALTER TABLE ${partition} SET (fillfactor = ${LIFECYCLE_FILLFACTOR})`);
    await q.query(`DROP INDEX delivery_reports_vendor`);
    await q.query(`DROP INDEX delivery_reports_message`);
    await q.query(`DROP INDEX delivery_reports_unmatched`);
    await q.query(
      `CREATE INDEX delivery_reports_unmatched ON delivery_reports (plugin_id, vendor_message_id)
       WHERE message_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX delivery_reports_unmatched`);
    await q.query(
      `CREATE INDEX delivery_reports_unmatched ON delivery_reports (received_at) WHERE message_id IS NULL`,
    );
    await q.query(
      `CREATE INDEX delivery_reports_message ON delivery_reports (message_id) WHERE message_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX delivery_reports_vendor ON delivery_reports (plugin_id, vendor_message_id)`);
    for (const partition of await messagePartitions(q))
      await q.query(`ALTER TABLE ${partition} SET (fillfactor = 70)`);
    await q.query(`ALTER TABLE message_queue SET (fillfactor = 70)`);
    await q.query(
      `UPDATE message_queue SET visible_at = lease_until WHERE lease_owner IS NOT NULL AND lease_until IS NOT NULL`,
    );
    await q.query(`ALTER TABLE message_queue DROP COLUMN lease_until`);
  }
}

/** Free room per page of `messages` and `message_queue` for a whole page's batch of HOT updates. */
export const LIFECYCLE_FILLFACTOR = 50;

/** The day partitions of `messages` (plain tables), by name. */
export async function messagePartitions(q: QueryRunner): Promise<string[]> {
  const rows = (await q.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'messages'::regclass AND c.relkind = 'r'`,
  )) as { name: string }[];
  return rows.map((r) => r.name);
}
