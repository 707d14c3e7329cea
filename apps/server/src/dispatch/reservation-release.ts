import { reviewRelease, type Rejection } from '@munja/compliance';
import { decideStart } from '@munja/scheduling';
import type { DataSource, EntityManager } from 'typeorm';
import { cancelReserved, queueReserved, refuseReserved } from '../lifecycle/reserved-messages';
import { IN_QUEUE, stateList } from '../lifecycle/message-states';
import {
  recordReservationTransitions,
  RESERVATION_TRANSITION_COLUMNS,
  type ReservationTransitionRow,
} from '../lifecycle/transition-events';
import { readReleaseContexts } from './release-state';
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
 * to the queue after @munja/compliance re-checked what may have changed since it was accepted (reviewRelease:
 * calling number still APPROVED; for AD the 080 service still COMPLETE and the recipient not added to the
 * block list meanwhile) — or STALE past it: never sent late, its messages closed with code STALE.
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
        const { rows: staled } = await sql<ReservationTransitionRow>(
          manager,
          `UPDATE reservations SET status = 'STALE', updated_at = $1 WHERE id = ANY($2::uuid[])
           RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
          [now, stale],
        );
        await recordReservationTransitions(manager, staled);
        await cancelReserved(
          manager,
          stale,
          {
            code: 'STALE',
            text: 'the reservation was not started within its grace window; never sent late',
          },
          now,
        );
      }
      let queued = 0;
      if (start.length > 0) {
        const { rows: started } = await sql<ReservationTransitionRow>(
          manager,
          `UPDATE reservations SET status = 'PROCESSING', updated_at = $1 WHERE id = ANY($2::uuid[])
           RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
          [now, start],
        );
        await recordReservationTransitions(manager, started);
        await this.refuseChanged(manager, start, now);
        queued = await queueReserved(manager, start, now);
      }
      return { started: start.length, stale: stale.length, queued };
    });
  }

  /**
   * Reviews the started reservations' messages with @munja/compliance against the projects' state now (read in
   * three batched queries) and closes the refused ones: BLOCKED for a recipient on the 080 list, REJECTED with
   * the review's code otherwise. The rest stay RESERVED for the caller to queue.
   */
  private async refuseChanged(manager: EntityManager, reservationIds: string[], now: Date): Promise<void> {
    const { rows: messages } = await sql<{
      id: string;
      project_id: string;
      from_number: string;
      content_type: 'COMM' | 'AD';
      country_code: string;
      to_number: string;
    }>(
      manager,
      `SELECT m.id, m.project_id, r.from_number, m.content_type, m.country_code, m.to_number
         FROM messages m JOIN send_requests r ON r.id = m.request_id
        WHERE m.reservation_id = ANY($1::uuid[]) AND m.state = 'RESERVED'`,
      [reservationIds],
    );
    if (messages.length === 0) return;
    const contexts = await readReleaseContexts(
      manager,
      messages.map((m) => m.project_id),
      messages
        .filter((m) => m.content_type === 'AD' && m.country_code === '82')
        .map((m) => ({ projectId: m.project_id, number: m.to_number })),
    );
    const refused: { id: string; rejection: Rejection }[] = [];
    for (const m of messages) {
      const rejection = reviewRelease(
        { from: m.from_number, contentType: m.content_type, countryCode: m.country_code, to: m.to_number },
        contexts.get(m.project_id)!,
      );
      if (rejection) refused.push({ id: m.id, rejection });
    }
    await refuseReserved(
      manager,
      reservationIds,
      refused.map(({ id, rejection }) => ({
        id,
        state: rejection.code === 'BLOCKED' ? 'BLOCKED' : 'REJECTED',
        code: rejection.code,
        text: rejection.message,
      })),
      now,
    );
  }

  /**
   * PROCESSING reservations whose messages all left the queue: DONE when at least one was handed to a
   * provider, FAIL when none could be. A message row still in the queue's states whose queue row is gone was
   * handed to its vendor (its acceptance writes only the awaiting row; the final outcome writes its vendor id).
   */
  async finishProcessed(now: Date): Promise<number> {
    return this.db.transaction(async (manager) => {
      const { rows } = await sql<ReservationTransitionRow>(
        manager,
        `UPDATE reservations r
          SET status = CASE WHEN EXISTS (SELECT 1 FROM messages m WHERE m.reservation_id = r.id
                                           AND (m.vendor_message_id IS NOT NULL OR m.state IN ${stateList(IN_QUEUE)}))
                            THEN 'DONE' ELSE 'FAIL' END,
              updated_at = $1
        WHERE r.status = 'PROCESSING'
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.reservation_id = r.id
                            AND (m.state = 'RESERVED'
                                 OR (m.state IN ${stateList(IN_QUEUE)}
                                     AND EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id))))
       RETURNING ${RESERVATION_TRANSITION_COLUMNS.replace(/(\w+)/g, 'r.$1')}`,
        [now],
      );
      await recordReservationTransitions(manager, rows);
      return rows.length;
    });
  }
}
