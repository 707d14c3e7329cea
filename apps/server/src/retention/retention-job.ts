import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import { DeliveryStore } from '../webhooks/delivery-store';
import { query } from '../webhooks/webhook-sql';
import { createMessageDay } from '../database/migrations/1765400000000-message-tail';
import { guardMessageDay } from '../database/migrations/1766000000031-messages-through-parent';
import { planPartitions, retentionCutoff, type PartitionDay } from './partition-calendar';

export interface RetentionOptions {
  /** rows whose request (or report) is older than this many days go */
  retentionDays: number;
  /** days after today that get their partition ahead of time */
  daysAhead: number;
  /** how long one step may wait for a table lock before it gives up until the next run */
  lockTimeoutMs: number;
  /** rows one purge statement removes at most */
  batchSize: number;
}

export interface RetentionReport {
  /** false when another process was running the retention: this run did nothing */
  ran: boolean;
  created: string[];
  dropped: string[];
  /** expired days kept because some of their messages are still in flight (their finished rows are deleted) */
  keptOpen: string[];
  /** days not given a partition because the DEFAULT partition already holds rows of them */
  leftInDefault: string[];
  deleted: { messages: number; sendRequests: number; deliveryReports: number; webhookEvents: number };
  /** a step that gave up waiting for a lock ends the run (the next run tries again) */
  lockTimeouts: number;
}

/** Key of the transaction-level advisory lock every step takes: one process at a time does retention work. */
const RETENTION_LOCK = `hashtext('munja_retention')`;
/** Pages of an expired-but-open partition one statement sweeps for finished rows. */
const SWEEP_PAGES = 1000;
const BUSY = Symbol('busy');
const LOCK_TIMEOUT = Symbol('lock timeout');
type Skipped = typeof BUSY | typeof LOCK_TIMEOUT;

/**
 * Keeps `messages` partitioned by day and applies the retention: creates the partitions of today and the days
 * ahead, drops the partitions of days past the retention whole (no row-by-row delete, no long lock), and purges
 * the other tables in small batches. Every step is its own short transaction holding the retention advisory
 * lock with a short lock_timeout, so several processes can run it on a timer and each item is handled once,
 * and a step that would queue behind a long query gives up (sends are never stuck behind it) until next time.
 */
export class RetentionJob {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly options: RetentionOptions,
  ) {}

  async run(): Promise<RetentionReport> {
    const report: RetentionReport = {
      ran: true,
      created: [],
      dropped: [],
      keptOpen: [],
      leftInDefault: [],
      deleted: { messages: 0, sendRequests: 0, deliveryReports: 0, webhookEvents: 0 },
      lockTimeouts: 0,
    };
    const now = this.clock.now();
    const cutoff = retentionCutoff(now, this.options.retentionDays);
    const plan = planPartitions({
      now,
      retentionDays: this.options.retentionDays,
      daysAhead: this.options.daysAhead,
      existing: await this.partitions(),
    });
    // A step another process holds ends this run: that process is doing the same work. So does a lock not
    // granted in time: the next steps would wait behind the same long transaction; the next run tries again.
    const outcome = (result: unknown): boolean => {
      if (result === LOCK_TIMEOUT) report.lockTimeouts += 1;
      if (result === BUSY) report.ran = false;
      return result !== BUSY && result !== LOCK_TIMEOUT;
    };

    for (const day of plan.create) {
      const result = await this.step((m) => this.createPartition(m, day));
      if (!outcome(result)) return report;
      if (result === 'created') report.created.push(day.name);
      if (result === 'default') report.leftInDefault.push(day.name);
    }
    for (const day of plan.expired) {
      const result = await this.step((m) => this.dropPartition(m, day));
      if (!outcome(result)) return report;
      if (result === 'dropped') report.dropped.push(day.name);
      if (result === 'open') {
        report.keptOpen.push(day.name);
        const swept = await this.sweepFinished(day.name);
        if (!outcome(swept)) return report;
        if (typeof swept === 'number') report.deleted.messages += swept;
      }
    }

    const batches: [keyof RetentionReport['deleted'], (m: EntityManager) => Promise<number>][] = [
      ['messages', (m) => this.deleteOldDefaultRows(m, cutoff)],
      ['sendRequests', (m) => this.deleteOldRequests(m, cutoff)],
      ['deliveryReports', (m) => this.deleteOldReports(m, cutoff)],
    ];
    for (const [table, batch] of batches) {
      for (;;) {
        const deleted = await this.step(batch);
        if (!outcome(deleted)) return report;
        if (typeof deleted !== 'number') break;
        report.deleted[table] += deleted;
        if (deleted < this.options.batchSize) break;
      }
    }
    // The webhook log keeps its own rule (events with a pending delivery stay); purged in its own batches.
    report.deleted.webhookEvents = await new DeliveryStore(this.db).purge(cutoff);
    return report;
  }

  /** Names of the tables attached to `messages` (ours and the DEFAULT). */
  private async partitions(): Promise<string[]> {
    const { rows } = await query<{ name: string }>(
      this.db,
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'messages'::regclass`,
    );
    return rows.map((row) => row.name);
  }

  /** One short transaction under the retention lock; BUSY if another process holds it. */
  private async step<T>(work: (m: EntityManager) => Promise<T>): Promise<T | Skipped> {
    try {
      return await this.db.transaction(async (m) => {
        const { rows } = await query<{ locked: boolean }>(
          m,
          `SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`,
        );
        if (!rows[0]?.locked) return BUSY;
        await m.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(this.options.lockTimeoutMs))}`);
        return work(m);
      });
    } catch (error) {
      const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code;
      if (code === '55P03' || (error as { code?: string }).code === '55P03') return LOCK_TIMEOUT;
      throw error;
    }
  }

  /**
   * Creates the day's table apart and attaches it: ATTACH takes only SHARE UPDATE EXCLUSIVE on `messages`
   * (CREATE TABLE … PARTITION OF would take ACCESS EXCLUSIVE), plus a scan of the DEFAULT partition, which
   * is empty while the job keeps days ahead. A day the DEFAULT already holds rows of stays in the DEFAULT:
   * moving live rows between partitions could make a concurrent UPDATE by id miss its row.
   */
  private async createPartition(
    m: EntityManager,
    day: PartitionDay,
  ): Promise<'created' | 'exists' | 'default'> {
    const { rows: found } = await query<{ exists: boolean }>(
      m,
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [day.name],
    );
    if (found[0]?.exists) return 'exists';
    const { rows: used } = await query<{ used: boolean }>(
      m,
      `SELECT EXISTS (SELECT 1 FROM messages_default WHERE request_time >= $1 AND request_time < $2) AS used`,
      [day.start, day.end],
    );
    if (used[0]?.used) return 'default';
    // Room on each page for the lifecycle's in-place (HOT) updates, and the columns they write last, so each
    // update logs only the changed tail of its row (1765400000000).
    await createMessageDay(m, day.name, day.start.toISOString(), day.end.toISOString());
    await guardMessageDay(m, day.name);
    return 'created';
  }

  /**
   * Drops a day past the retention, unless a message of it is still in flight (a reservation made then for a
   * later time, a send awaiting its report): no accepted message disappears. The in-flight check reads the
   * lifecycle's small tables (queue, awaiting reports) and the day's reserved rows through its reservation
   * index; `messages` is locked first, as a query through it would.
   */
  private async dropPartition(m: EntityManager, day: PartitionDay): Promise<'dropped' | 'open' | 'gone'> {
    const open = async () => {
      const { rows } = await query<{ open: boolean }>(
        m,
        `SELECT EXISTS (SELECT 1 FROM message_queue WHERE request_time >= $1 AND request_time < $2)
             OR EXISTS (SELECT 1 FROM awaiting_reports WHERE request_time >= $1 AND request_time < $2)
             OR EXISTS (SELECT 1 FROM ${day.name} WHERE reservation_id IS NOT NULL AND status <> 'COMPLETED')
             AS open`,
        [day.start, day.end],
      );
      return rows[0]?.open === true;
    };
    const { rows: found } = await query<{ exists: boolean }>(
      m,
      `SELECT to_regclass($1) IS NOT NULL AS exists`,
      [day.name],
    );
    if (!found[0]?.exists) return 'gone';
    if (await open()) return 'open';
    await m.query(`LOCK TABLE ONLY messages IN ACCESS EXCLUSIVE MODE`);
    if (await open()) return 'open';
    await m.query(`DROP TABLE ${day.name}`);
    return 'dropped';
  }

  /** Deletes the finished rows of an expired day kept open, a run of pages per transaction. */
  private async sweepFinished(name: string): Promise<number | Skipped> {
    const { rows } = await query<{ pages: string }>(
      this.db,
      `SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint AS pages`,
      [name],
    );
    const pages = Number(rows[0]?.pages ?? 0);
    let deleted = 0;
    for (let first = 0; first < pages; first += SWEEP_PAGES) {
      const swept = await this.step(async (m) => {
        const { affected } = await query(
          m,
          `DELETE FROM ${name}
           WHERE ctid >= '(${first},0)'::tid AND ctid < '(${first + SWEEP_PAGES},0)'::tid AND status = 'COMPLETED'`,
        );
        return affected;
      });
      if (typeof swept !== 'number') return swept;
      deleted += swept;
    }
    return deleted;
  }

  /** Finished rows past the retention in the DEFAULT partition (days that never had their own). */
  private async deleteOldDefaultRows(m: EntityManager, cutoff: Date): Promise<number> {
    const { affected } = await query(
      m,
      `DELETE FROM messages_default WHERE id IN (
         SELECT id FROM messages_default WHERE request_time < $1 AND status = 'COMPLETED'
         LIMIT ${this.options.batchSize} FOR UPDATE SKIP LOCKED)`,
      [cutoff],
    );
    return affected;
  }

  /**
   * Send requests past the retention whose messages are all gone (their reservations cascade with them);
   * a request with a message still kept stays, so the cascade never removes a message.
   */
  private async deleteOldRequests(m: EntityManager, cutoff: Date): Promise<number> {
    const { affected } = await query(
      m,
      `DELETE FROM send_requests WHERE id IN (
         SELECT s.id FROM send_requests s
         WHERE s.request_time < $1 AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.request_id = s.id)
         ORDER BY s.request_time LIMIT ${this.options.batchSize} FOR UPDATE SKIP LOCKED)`,
      [cutoff],
    );
    return affected;
  }

  /** Delivery reports as received (the audit copy), by the time they came in. */
  private async deleteOldReports(m: EntityManager, cutoff: Date): Promise<number> {
    const { affected } = await query(
      m,
      // by ctid: the table has no primary key (its received_at index is BRIN: the old block ranges, unordered)
      `DELETE FROM delivery_reports WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM delivery_reports WHERE received_at < $1 LIMIT ${this.options.batchSize}))`,
      [cutoff],
    );
    return affected;
  }
}
