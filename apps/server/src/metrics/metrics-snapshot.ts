import type { DataSource } from 'typeorm';

/** One summed counter row of metric_counters (slots added up). */
export interface CounterRow {
  metric: string;
  plugin: string;
  type: string;
  state: string;
  value: number;
}

/** What a scrape reads from the database, once, before the registry renders it. */
export interface MetricsSnapshot {
  counters: CounterRow[];
  queuedMessages: number;
  pendingWebhookDeliveries: number;
}

/**
 * Reads the database-wide counters the lifecycle module and the delivery worker keep, and the gauges. The counters are totals over every
 * process sharing the database, so any one instance reports the same numbers (scrape one, or take max()).
 */
export async function readSnapshot(db: DataSource): Promise<MetricsSnapshot> {
  const counters = (await db.query(
    `SELECT metric, plugin, type, state, sum(value)::float8 AS value
     FROM metric_counters GROUP BY metric, plugin, type, state`,
  )) as CounterRow[];
  // Both read small things: the queue's unleased rows (message_queue), the partial webhook_deliveries_due.
  const gauges = (await db.query(
    `SELECT (SELECT count(*) FROM message_queue WHERE lease_owner IS NULL)::float8 AS queued,
            (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING')::float8 AS pending`,
  )) as Array<{ queued: number; pending: number }>;
  return {
    counters,
    queuedMessages: gauges[0]?.queued ?? 0,
    pendingWebhookDeliveries: gauges[0]?.pending ?? 0,
  };
}

/**
 * Folds the per-backend slots into slot 0 so the table stays small as connections come and go. Rows a
 * running transaction holds are skipped (SKIP LOCKED) and folded next time; one process folds at a time.
 */
export async function compactCounters(db: DataSource): Promise<void> {
  await db.transaction(async (manager) => {
    const [lock] = (await manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtext('munja_metric_counters')) AS locked`,
    )) as Array<{ locked: boolean }>;
    if (!lock?.locked) return;
    await manager.query(`
      WITH moved AS (
        DELETE FROM metric_counters WHERE ctid IN (
          SELECT ctid FROM metric_counters WHERE slot <> 0 FOR UPDATE SKIP LOCKED)
        RETURNING metric, plugin, type, state, value
      )
      INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
      SELECT metric, plugin, type, state, 0, sum(value) FROM moved GROUP BY metric, plugin, type, state
      ON CONFLICT (metric, plugin, type, state, slot) DO UPDATE SET value = metric_counters.value + EXCLUDED.value`);
  });
}
