import type { EntityManager } from 'typeorm';

/** Non-cumulative latency buckets in seconds (the collector makes them cumulative). */
export const DISPATCH_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/**
 * The counter rows the scrape reads (metric_counters; metrics.service.ts names each Prometheus series):
 * - `message_created`: messages stored at acceptance, by their first state;
 * - `message_state`: states entered after acceptance;
 * - `dispatch_latency` (state = the bucket's `le`) and `dispatch_latency_sum_ms`: due → vendor acceptance;
 * - `reservation_state`, `schedule_occurrence_state`: reservation statuses entered;
 * - `webhook_attempt`: delivery attempts by outcome (the delivery store counts those itself).
 */
export type MetricName =
  | 'message_created'
  | 'message_state'
  | 'dispatch_latency'
  | 'dispatch_latency_sum_ms'
  | 'reservation_state'
  | 'schedule_occurrence_state';

/**
 * Counts summed in memory over one statement's rows, so a batch of 500 transitions adds one row per
 * (metric, plugin, type, state) it touched, not 500.
 */
export class MetricTally {
  private readonly counts = new Map<string, number>();

  add(metric: MetricName, plugin: string, type: string, state: string, value = 1): void {
    const key = [metric, plugin, type, state].join('\u0000');
    this.counts.set(key, (this.counts.get(key) ?? 0) + value);
  }

  /** One message handed to its vendor `latencySeconds` after it was due. */
  addLatency(plugin: string, type: string, latencySeconds: number): void {
    const latency = Math.max(0, latencySeconds);
    const bucket = DISPATCH_LATENCY_BUCKETS.find((le) => latency <= le);
    this.add('dispatch_latency', plugin, type, bucket === undefined ? '+Inf' : String(bucket));
    this.add('dispatch_latency_sum_ms', plugin, type, '', Math.round(latency * 1000));
  }

  get size(): number {
    return this.counts.size;
  }

  /** The tally as unnest columns: metric, plugin, type, state, value. */
  columns(): [string[], string[], string[], string[], number[]] {
    const columns: [string[], string[], string[], string[], number[]] = [[], [], [], [], []];
    for (const [key, value] of this.counts) {
      const [metric, plugin, type, state] = key.split('\u0000') as [string, string, string, string];
      columns[0].push(metric);
      columns[1].push(plugin);
      columns[2].push(type);
      columns[3].push(state);
      columns[4].push(value);
    }
    return columns;
  }
}

/**
 * Adds the tally to the counters inside the caller's transaction: one upsert for the whole tally. Rows are keyed
 * by the backend's pid (`slot`), so two concurrent transactions never wait on the same counter row; a scrape sums
 * the slots and folds them (metrics-snapshot.ts).
 */
export async function addCounts(manager: EntityManager, tally: MetricTally): Promise<void> {
  if (tally.size === 0) return;
  await manager.query(COUNT_STATEMENT, tally.columns());
}

/**
 * The counters upsert over `rows`, a query giving (metric, plugin, type, state, value) with each key at most once,
 * for statements that count inside themselves (the send path's one-statement store).
 */
export function countsUpsert(rows: string): string {
  return `INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
  SELECT c.metric, c.plugin, c.type, c.state, pg_backend_pid(), c.value FROM (${rows}) AS c(metric, plugin, type, state, value)
  ON CONFLICT (metric, plugin, type, state, slot) DO UPDATE SET value = metric_counters.value + EXCLUDED.value`;
}

/** The upsert of a tally as a CTE-able statement whose five array parameters start at `$first`. */
export function tallyUpsert(first: number): string {
  const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return countsUpsert(
    `SELECT * FROM unnest(${a}::text[], ${b}::text[], ${c}::text[], ${d}::text[], ${e}::bigint[])`,
  );
}

const COUNT_STATEMENT = tallyUpsert(1);
