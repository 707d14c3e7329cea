import type { DataSource } from 'typeorm';
import { RetentionJob } from './retention-job';

/**
 * Synthetic message history at volume, for the history EXPLAIN test and bench/history.bench.mjs (never used by
 * the service itself). Rows are a pure function of their number, so every run has the same data:
 * - request times spread evenly over `days` days before `end`;
 * - recipients: 50,000 numbers `0107xxxxxxx` (each number about rows/50,000 times);
 * - calling numbers: 0212345678 about 90 %, 0212345679 9 %, 0212345670 1 %;
 * - types: SMS 80 %, LMS 15 %, MMS 4 %, INTL 1 %;
 * - status: READY 1 %, PROCESSING 1 %, COMPLETED 98 % (the open ones with their queue or awaiting row).
 */
export interface SyntheticHistory {
  projectId: string;
  rows: number;
  days: number;
  end: Date;
  /** numbering offset, so a second batch for another project gets other rows */
  first?: number;
}

const CHUNK = 100_000;
const DAY_MS = 86_400_000;

/** A recipient the data holds (the n-th row's), as the API takes it. */
export function syntheticRecipient(n: number): string {
  return `0107${String((n * 7919) % 50_000).padStart(7, '0')}`;
}

/** Gives `messages` a partition for every day of the range, as the retention job would have over time. */
export async function partitionDays(db: DataSource, end: Date, days: number): Promise<void> {
  let now = new Date(end.getTime() - (days + 1) * DAY_MS);
  const clock = { now: () => now };
  const job = new RetentionJob(db, clock, {
    retentionDays: days + 2,
    daysAhead: 7,
    lockTimeoutMs: 10_000,
    batchSize: 5000,
  });
  for (; now.getTime() <= end.getTime(); now = new Date(now.getTime() + 7 * DAY_MS)) await job.run();
  now = end;
  await job.run();
}

/** Inserts the rows (with one send request to hang them on) in statements of 100,000; then ANALYZE. */
export async function fillHistory(
  db: DataSource,
  history: SyntheticHistory,
  progress?: (done: number) => void,
): Promise<void> {
  const [request] = (await db.query(
    `INSERT INTO send_requests (project_id, request_time, content) VALUES ($1, $2, 'synthetic') RETURNING id`,
    [history.projectId, history.end],
  )) as { id: string }[];
  const first = history.first ?? 0;
  const spanSeconds = history.days * 86_400;
  for (let start = first; start < first + history.rows; start += CHUNK) {
    const last = Math.min(start + CHUNK, first + history.rows) - 1;
    await db.query(
      `WITH filled AS (
       INSERT INTO messages (project_id, request_id, request_time, recipient_index, to_number, country_code,
         from_number, type, content_type, content, status, state, due_at, route, updated_at)
       SELECT $1, $2, t, g, '0107' || lpad(((g * 7919) % 50000)::text, 7, '0'), '82',
         CASE WHEN f < 90 THEN '0212345678' WHEN f < 99 THEN '0212345679' ELSE '0212345670' END,
         CASE WHEN k < 80 THEN 'SMS' WHEN k < 95 THEN 'LMS' WHEN k < 99 THEN 'MMS' ELSE 'INTL' END,
         'COMM', 'synthetic history row',
         CASE s WHEN 0 THEN 'READY' WHEN 1 THEN 'PROCESSING' ELSE 'COMPLETED' END,
         CASE s WHEN 0 THEN 'QUEUED' WHEN 1 THEN 'SENT' ELSE 'DELIVERED' END,
         t, '{sens}', t
       FROM generate_series($3::bigint, $4::bigint) g,
            -- Calling number, type and status from unrelated hashes of g, so their combinations all occur.
            LATERAL (SELECT $5::timestamptz - make_interval(secs => ((g * 104729) % $6) + 1) AS t,
                            (g * 40503) % 10009 % 100 AS f, (g * 65537) % 10007 % 100 AS k,
                            (g * 48271) % 10037 % 100 AS s) x
       RETURNING id, request_time, project_id, state
       ), queued AS (
         -- the open rows are where the lifecycle keeps them: queued, or awaiting a report
         INSERT INTO message_queue (message_id, request_time, project_id, plugin_id, visible_at)
         SELECT id, request_time, project_id, 'sens', request_time FROM filled WHERE state = 'QUEUED'
       ), awaiting AS (
         INSERT INTO awaiting_reports (plugin_id, vendor_message_id, message_id, request_time, project_id, sent_at)
         SELECT 'sens', 'synthetic-' || id, id, request_time, project_id, request_time FROM filled WHERE state = 'SENT'
       )
       SELECT count(*) FROM filled`,
      [history.projectId, request?.id, start, last, history.end, spanSeconds],
    );
    progress?.(last - first + 1);
  }
  await db.query(`ANALYZE messages, message_queue, awaiting_reports`);
}
