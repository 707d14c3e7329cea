import { decideStart } from '@munja/scheduling';
import type { DataSource } from 'typeorm';
import { sql } from './sql';

export interface ReleaseResult {
  /** reservations started (READY → PROCESSING, their messages queued) */
  readonly started: number;
  /** reservations past the grace window (READY → STALE, their messages canceled) */
  readonly stale: number;
  /** messages queued for sending */
  readonly queued: number;
}

/**
 * Starts due reservations. Each READY reservation whose time came is claimed with SKIP LOCKED (any number of
 * processes may run this) and decided by @munja/scheduling: START within the grace window — its messages go
 * to the queue after re-checking what may have changed since it was accepted (calling number still
 * APPROVED; for AD the 080 service still COMPLETE and the recipient not added to the block list meanwhile) —
 * or STALE past it: never sent late, its messages closed with code STALE.
 */
export class ReservationRelease {
  constructor(private readonly db: DataSource) {}

  async releaseDue(now: Date, graceMs: number, limit = 100): Promise<ReleaseResult> {
    return this.db.transaction(async (manager) => {
      const { rows } = await sql<{ id: string; send_at: Date }>(
        manager,
        `SELECT id, send_at FROM reservations WHERE status = 'READY' AND send_at <= $1
          ORDER BY send_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      if (rows.length === 0) return { started: 0, stale: 0, queued: 0 };
      const start: string[] = [];
      const stale: string[] = [];
      for (const row of rows)
        (decideStart(row.send_at, now, graceMs).action === 'STALE' ? stale : start).push(row.id);

      if (stale.length > 0) {
        await sql(
          manager,
          `UPDATE reservations SET status = 'STALE', updated_at = $1 WHERE id = ANY($2::uuid[])`,
          [now, stale],
        );
        await sql(
          manager,
          `UPDATE messages SET state = 'CANCELED', status = 'COMPLETED', status_name = 'fail', status_code = 'STALE',
                  status_message = 'the reservation was not started within its grace window; never sent late',
                  complete_time = $1, updated_at = $1
            WHERE reservation_id = ANY($2::uuid[]) AND state = 'RESERVED'`,
          [now, stale],
        );
      }
      let queued = 0;
      if (start.length > 0) {
        await sql(
          manager,
          `UPDATE reservations SET status = 'PROCESSING', updated_at = $1 WHERE id = ANY($2::uuid[])`,
          [now, start],
        );
        await sql(
          manager,
          `UPDATE messages m SET state = v.state, status = 'COMPLETED', status_name = 'fail', status_code = v.code,
                  status_message = v.text, complete_time = $1, updated_at = $1
             FROM (
               SELECT m2.id,
                      CASE
                        WHEN NOT EXISTS (SELECT 1 FROM calling_numbers c
                                          WHERE c.project_id = m2.project_id AND c.number = r.from_number
                                            AND c.status = 'APPROVED')
                          THEN 'CALLING_NUMBER_NOT_REGISTERED'
                        WHEN m2.content_type = 'AD' AND NOT EXISTS (SELECT 1 FROM opt_out_services o
                                          WHERE o.project_id = m2.project_id AND o.status = 'COMPLETE')
                          THEN 'AD_OPT_OUT_SERVICE_REQUIRED'
                        WHEN m2.content_type = 'AD' AND m2.country_code = '82' AND EXISTS (SELECT 1 FROM opt_out_blocklist b
                                          WHERE b.project_id = m2.project_id AND b.number = m2.to_number)
                          THEN 'BLOCKED'
                      END AS code
                 FROM messages m2 JOIN send_requests r ON r.id = m2.request_id
                WHERE m2.reservation_id = ANY($2::uuid[]) AND m2.state = 'RESERVED'
             ) c0
             CROSS JOIN LATERAL (SELECT CASE c0.code WHEN 'BLOCKED' THEN 'BLOCKED' ELSE 'REJECTED' END AS state,
                                        c0.code,
                                        CASE c0.code
                                          WHEN 'BLOCKED' THEN 'the recipient joined the 080 opt-out list before the send time'
                                          WHEN 'AD_OPT_OUT_SERVICE_REQUIRED' THEN 'the 080 opt-out service is no longer active'
                                          ELSE 'the calling number is no longer approved'
                                        END AS text) v
            WHERE m.id = c0.id AND c0.code IS NOT NULL`,
          [now, start],
        );
        const result = await sql(
          manager,
          `UPDATE messages SET state = 'QUEUED', status = 'READY', updated_at = $1
            WHERE reservation_id = ANY($2::uuid[]) AND state = 'RESERVED'`,
          [now, start],
        );
        queued = result.affected;
      }
      return { started: start.length, stale: stale.length, queued };
    });
  }

  /**
   * PROCESSING reservations whose messages all left the queue: DONE when at least one was handed to a
   * provider, FAIL when none could be.
   */
  async finishProcessed(now: Date): Promise<number> {
    const { affected } = await sql(
      this.db,
      `UPDATE reservations r
          SET status = CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.reservation_id = r.id
                                           AND m.vendor_message_id IS NOT NULL) THEN 'DONE' ELSE 'FAIL' END,
              updated_at = $1
        WHERE r.status = 'PROCESSING'
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.reservation_id = r.id
                            AND m.state IN ('RESERVED', 'QUEUED', 'SENDING'))`,
      [now],
    );
    return affected;
  }
}
