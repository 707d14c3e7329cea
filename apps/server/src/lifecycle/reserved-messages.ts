import type { EntityManager } from 'typeorm';
import { sql } from '../dispatch/sql';
import { enqueueFrom } from './accepted-messages';
import { toState, toStateOf } from './message-states';
import {
  countsOf,
  recordMessageCounts,
  recordMessageTransitions,
  reservationsAnnounced,
  transitionColumns,
  type MessageTransitionRow,
  type TransitionCount,
} from './transition-events';

/** Why reserved messages close without being sent. */
export interface ReservedClosing {
  readonly code: 'STALE' | 'CANCELED' | 'SCHEDULE_DELETED';
  readonly text: string;
}

/**
 * The RESERVED messages of these reservations → CANCELED (fail) with `code`: never sent. A reservation may hold
 * 100,000 messages: unless a project of theirs has an endpoint to tell, the statement answers grouped counts.
 */
export async function cancelReserved(
  manager: EntityManager,
  reservationIds: readonly string[],
  closing: ReservedClosing,
  now: Date,
): Promise<number> {
  const announced = await reservationsAnnounced(manager, reservationIds);
  const { rows } = await sql<MessageTransitionRow & TransitionCount>(
    manager,
    `WITH moved AS (
       UPDATE messages m SET ${toState('CANCELED')}, status_name = 'fail', status_code = $3, status_message = $4,
              complete_time = $1, updated_at = $1
        WHERE m.reservation_id = ANY($2::uuid[]) AND m.state = 'RESERVED'
       RETURNING ${transitionColumns('m')}
     )
     ${announced ? 'SELECT * FROM moved' : countsOf('moved')}`,
    [now, reservationIds, closing.code, closing.text],
  );
  if (!announced) return recordMessageCounts(manager, rows);
  await recordMessageTransitions(manager, rows, 'changed');
  return rows.length;
}

/** A reserved message the law's re-check at release refused. */
export interface RefusedAtRelease {
  readonly id: string;
  readonly state: 'BLOCKED' | 'REJECTED';
  readonly code: string;
  readonly text: string;
}

/** Closes refused RESERVED messages of these reservations (fail, with the review's code). */
export async function refuseReserved(
  manager: EntityManager,
  reservationIds: readonly string[],
  refused: readonly RefusedAtRelease[],
  now: Date,
): Promise<number> {
  if (refused.length === 0) return 0;
  const { rows } = await sql<MessageTransitionRow>(
    manager,
    `UPDATE messages m SET ${toStateOf('v.state')}, status_name = 'fail', status_code = v.code,
            status_message = v.text, complete_time = $1, updated_at = $1
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS v(id, state, code, text)
      WHERE m.id = v.id AND m.reservation_id = ANY($6::uuid[]) AND m.state = 'RESERVED'
    RETURNING ${transitionColumns('m')}`,
    [
      now,
      refused.map((r) => r.id),
      refused.map((r) => r.state),
      refused.map((r) => r.code),
      refused.map((r) => r.text),
      reservationIds,
    ],
  );
  await recordMessageTransitions(manager, rows, 'changed');
  return rows.length;
}

/**
 * The remaining RESERVED messages of these reservations → QUEUED: each gets its queue row, visible now. Not an
 * event (the reservation's PROCESSING is), so the statement answers grouped counts, not 100,000 rows.
 */
export async function queueReserved(
  manager: EntityManager,
  reservationIds: readonly string[],
  now: Date,
): Promise<number> {
  const { rows } = await sql<TransitionCount>(
    manager,
    `WITH queued AS (
       UPDATE messages m SET ${toState('QUEUED')}, updated_at = $1
        WHERE m.reservation_id = ANY($2::uuid[]) AND m.state = 'RESERVED'
       RETURNING ${transitionColumns('m')}, m.request_time, m.route[m.route_index + 1] AS first_plugin
     ), planned AS (
       SELECT id, request_time, project_id, first_plugin AS plugin_id FROM queued
     ), enqueued AS (
       ${enqueueFrom('planned', '$1::timestamptz')}
     )
     ${countsOf('queued')}`,
    [now, reservationIds],
  );
  return recordMessageCounts(manager, rows);
}
