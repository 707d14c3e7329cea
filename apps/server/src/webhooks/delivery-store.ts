import type { DataSource } from 'typeorm';
import type { AttemptOutcome } from './retry-policy';
import { query } from './webhook-sql';

/** A delivery this process claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  /** this attempt's number (1 for the first) */
  attempt: number;
  eventId: string;
  eventType: string;
  eventTime: Date;
  data: unknown;
  endpointId: string;
  url: string;
  secret: string;
}

export interface AttemptResult {
  delivery: ClaimedDelivery;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  nextAttemptAt: Date | null;
  now: Date;
}

export interface DisablePolicy {
  /** failing without a success for this long disables the endpoint */
  failingWindowMs: number;
  /** this many deliveries in a row that finally failed disables the endpoint */
  maxConsecutiveFailures: number;
}

interface ClaimRow {
  id: string;
  attempts: number;
  event_id: string;
  type: string;
  data: unknown;
  event_time: Date;
  endpoint_id: string;
  url: string;
  secret: string;
}

/** The SQL of the delivery queue: claim due deliveries, record each attempt and its consequences. */
export class DeliveryStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Takes up to `limit` due deliveries of enabled endpoints. The claim pushes `next_attempt_at` out to
   * `leaseUntil` and commits at once, so the HTTP call runs outside any transaction; if this process dies
   * mid-call the delivery is due again after the lease (at-least-once). SKIP LOCKED lets several processes
   * claim side by side, each delivery going to one of them.
   */
  async claim(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const { rows } = await query<ClaimRow>(
      this.db,
      `UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2
       FROM webhook_events ev, webhook_endpoints e
       WHERE d.id IN (
         SELECT c.id FROM webhook_deliveries c
         WHERE c.status = 'PENDING' AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= $1)
           AND EXISTS (SELECT 1 FROM webhook_endpoints ce WHERE ce.id = c.endpoint_id AND ce.status = 'ENABLED')
         ORDER BY c.next_attempt_at NULLS FIRST
         LIMIT $3
         FOR UPDATE OF c SKIP LOCKED)
       AND ev.id = d.event_id AND e.id = d.endpoint_id
       RETURNING d.id, d.attempts, d.event_id, ev.type, ev.data, ev.created_at AS event_time,
                 e.id AS endpoint_id, e.url, e.secret`,
      [now, leaseUntil, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      attempt: row.attempts,
      eventId: row.event_id,
      eventType: row.type,
      eventTime: row.event_time,
      data: row.data,
      endpointId: row.endpoint_id,
      url: row.url,
      secret: row.secret,
    }));
  }

  /**
   * Deletes events that happened before `before` with their deliveries and attempt log, except those with a
   * delivery still pending (a re-enabled endpoint may yet get them). Returns how many events went.
   */
  async purge(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { affected } = await query(
        this.db,
        `DELETE FROM webhook_events WHERE id IN (
           SELECT ev.id FROM webhook_events ev
           WHERE ev.created_at < $1
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id AND d.status = 'PENDING')
           ORDER BY ev.created_at
           LIMIT ${PURGE_BATCH})`,
        [before],
      );
      total += affected;
      if (affected < PURGE_BATCH) return total;
    }
  }

  /**
   * Logs the attempt and moves the delivery on, in one transaction. Nothing changes when the delivery is no
   * longer this claim's (its lease ran out and another process took it, or the endpoint was deleted).
   * Returns the reason when this attempt got the endpoint disabled.
   */
  async record(result: AttemptResult, policy: DisablePolicy): Promise<{ disabledReason: string | null }> {
    const { delivery, now } = result;
    return this.db.transaction(async (manager) => {
      // The endpoint row first: records for one endpoint then queue on it, so disabling (which takes the
      // endpoint, then its pending deliveries) cannot deadlock with a record holding one of those deliveries.
      await query(manager, `SELECT 1 FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [delivery.endpointId]);
      const { affected } = await query(
        manager,
        `UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, last_status_code = $5, last_error = $6,
                completed_at = CASE WHEN $3 = 'PENDING' THEN NULL ELSE $7::timestamptz END
         WHERE id = $1 AND attempts = $2 AND status = 'PENDING'`,
        [
          delivery.id,
          delivery.attempt,
          result.outcome === 'RETRY' ? 'PENDING' : result.outcome,
          result.nextAttemptAt,
          result.statusCode,
          result.error,
          now,
        ],
      );
      if (affected === 0) return { disabledReason: null };
      await query(
        manager,
        `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          delivery.id,
          delivery.attempt,
          result.startedAt,
          result.durationMs,
          result.statusCode,
          result.error,
          result.outcome,
        ],
      );
      await query(
        manager,
        `INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
         VALUES ('webhook_attempt', '', $1, $2, pg_backend_pid(), 1)
         ON CONFLICT (metric, plugin, type, state, slot) DO UPDATE SET value = metric_counters.value + 1`,
        [delivery.eventType, result.outcome],
      );
      if (result.outcome === 'DELIVERED') {
        await query(
          manager,
          `UPDATE webhook_endpoints SET failing_since = NULL, consecutive_failures = 0, last_success_at = $2
           WHERE id = $1`,
          [delivery.endpointId, now],
        );
        return { disabledReason: null };
      }
      const { rows } = await query<{ failing_since: Date; consecutive_failures: number }>(
        manager,
        `UPDATE webhook_endpoints
         SET failing_since = COALESCE(failing_since, $2),
             consecutive_failures = consecutive_failures + CASE WHEN $3 THEN 1 ELSE 0 END
         WHERE id = $1 AND status = 'ENABLED'
         RETURNING failing_since, consecutive_failures`,
        [delivery.endpointId, result.startedAt, result.outcome === 'FAILED'],
      );
      const endpoint = rows[0];
      if (!endpoint) return { disabledReason: null };
      const reason = disableReason(endpoint, now, policy);
      if (reason === null) return { disabledReason: null };
      await query(
        manager,
        `UPDATE webhook_endpoints SET status = 'DISABLED', disabled_at = $2, disabled_reason = $3, updated_at = $2
         WHERE id = $1`,
        [delivery.endpointId, now, reason],
      );
      // What was still waiting for it will not be tried: the log says why.
      await query(
        manager,
        `UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = NULL, completed_at = $2,
                last_error = COALESCE(last_error || '; ', '') || 'endpoint disabled'
         WHERE endpoint_id = $1 AND status = 'PENDING'`,
        [delivery.endpointId, now],
      );
      return { disabledReason: reason };
    });
  }
}

/** Events (with their deliveries and attempts) one purge statement removes at most. */
const PURGE_BATCH = 5000;

/** Why an endpoint should be disabled now, or null while it may keep trying. */
export function disableReason(
  endpoint: { failing_since: Date; consecutive_failures: number },
  now: Date,
  policy: DisablePolicy,
): string | null {
  const failingMs = now.getTime() - endpoint.failing_since.getTime();
  if (failingMs >= policy.failingWindowMs) {
    const hours = Math.round((failingMs / 3_600_000) * 10) / 10;
    return `FAILING_TOO_LONG: no successful delivery since ${endpoint.failing_since.toISOString()} (${hours} h)`;
  }
  if (endpoint.consecutive_failures >= policy.maxConsecutiveFailures) {
    return `TOO_MANY_FAILED_DELIVERIES: ${endpoint.consecutive_failures} deliveries in a row failed after all retries`;
  }
  return null;
}
