import { MigrationInterface, QueryRunner } from 'typeorm';
import { LIFECYCLE_FILLFACTOR, messagePartitions } from './1765100000100-hot-lifecycle';

/**
 * More free room per page for the lifecycle's in-place updates, where the bench's exact count (index entries
 * from the WAL, 20,000 messages, PostgreSQL 15) still found updates that were not HOT — each one an entry in
 * every index of its table:
 *
 * - `message_queue` (fillfactor 50 → 30): a claim writes `lease_owner` (~30 characters) into rows inserted
 *   without it, so every new version is longer than the old one, and half a page did not hold the new versions
 *   of the rows a claim takes from it: 0.25 of the claims' updates went to another page (0.5 entries a message).
 * - `messages` (50 → MESSAGE_FILLFACTOR): the SENT version carries the vendor ids and `sent_at`, the final one
 *   the outcome's code, text, carrier and time: each longer than the one before, so a batch's new versions did
 *   not all fit beside the old ones (0.32 non-HOT updates a message × 6 indexes).
 *
 * Existing pages keep their rows; new pages (and new day partitions, `retention-job.ts`) take the setting.
 */
export class PageRoom1765300000100 implements MigrationInterface {
  name = 'PageRoom1765300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_queue SET (fillfactor = ${QUEUE_FILLFACTOR})`);
    for (const partition of await messagePartitions(q))
      await q.query(`ALTER TABLE ${partition} SET (fillfactor = ${MESSAGE_FILLFACTOR})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_queue SET (fillfactor = ${LIFECYCLE_FILLFACTOR})`);
    for (const partition of await messagePartitions(q))
      await q.query(`ALTER TABLE ${partition} SET (fillfactor = ${LIFECYCLE_FILLFACTOR})`);
  }
}

/** Free room per page of a `messages` day partition: a batch's SENT and then final versions fit beside the old. */
export const MESSAGE_FILLFACTOR = 40;
/** Free room per page of `message_queue`: a claim's longer versions (with the lease owner) fit beside the old. */
export const QUEUE_FILLFACTOR = 30;
