import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history indexes in ascending order, read backward for the newest-first pages (`ORDER BY request_time DESC,
 * id DESC`: an Index Scan Backward, the same pages and the same keyset cursor). Messages arrive in that ascending
 * order — a request's UUIDv7 ids ascend (recipient index after the millisecond) and later requests have later
 * times — so in ascending indexes each new entry goes right after the one before it: PostgreSQL then splits a
 * full leaf page leaving it ~90 % full (nbtsplitloc.c: "localized monotonically increasing insertion"). In the
 * descending ones every new entry went in front of the one before, each full page split in half and its older
 * half was never written again: after a 100,000-recipient bulk `messages_history` had 1,300 leaf pages half
 * full, `messages_history_from` 1,697, `messages_history_type` 1,495 (`messages_history_to`, its entries placed
 * by the recipient, 944). The accepting statement's backend CPU, 100,000 rows in 20 statements: 22.8–22.9 →
 * 19.7–20.0 µs a row (docs/benchmarks.md, 2026-12-07 "Bulk accept: ascending history indexes…").
 *
 * `messages_history_to` goes ascending too, so the four read alike. Creating an index on the partitioned table
 * creates it on every day partition (and on those the retention job adds later).
 */
export class HistoryAscending1766000000010 implements MigrationInterface {
  name = 'HistoryAscending1766000000010';

  async up(q: QueryRunner): Promise<void> {
    await recreate(q, '');
  }

  async down(q: QueryRunner): Promise<void> {
    await recreate(q, ' DESC');
  }
}

/** The history indexes by name: the filter columns before the page order. */
const HISTORY_INDEXES: readonly (readonly [string, string])[] = [
  ['messages_history', 'project_id'],
  ['messages_history_to', 'project_id, to_number'],
  ['messages_history_from', 'project_id, from_number'],
  ['messages_history_type', 'project_id, type'],
];

async function recreate(q: QueryRunner, order: '' | ' DESC'): Promise<void> {
  for (const [name, filters] of HISTORY_INDEXES) {
    await q.query(`DROP INDEX ${name}`);
    await q.query(`CREATE INDEX ${name} ON messages (${filters}, request_time${order}, id${order})`);
  }
}
