import type { EntityManager } from 'typeorm';
import { addCounts, MetricTally } from '../metrics/metric-counts';
import type { MessageType } from '../messages/message.entity';
import { messageEventData, queueEvents, type PendingEvent } from '../webhooks/webhook-events';
import { STATUS_OF_STATE, type MessageState, type MessageStatus } from './message-states';

/**
 * The transitions a customer can see, and so the ones that become `message.status_changed` events: a message
 * accepted (whatever its first state), handed to its vendor (SENT), and closed (a final state). Claiming a message
 * (SENDING), handing it back to the queue (a retry after a failed attempt, a graceful shutdown, an expired lease)
 * and queueing a reserved message at its time are the service's own bookkeeping: the message is still "being
 * sent" to the customer and nothing they can act on changed, so they are counted in the metrics only.
 */
export const EVENT_ON_ENTERING: Readonly<Record<MessageState, boolean>> = {
  RESERVED: false,
  QUEUED: false,
  SENDING: false,
  SENT: true,
  DELIVERED: true,
  FAILED: true,
  BLOCKED: true,
  REJECTED: true,
  EXPIRED: true,
  CANCELED: true,
};

/**
 * What a lifecycle statement returns (`RETURNING ${transitionColumns('m')}`) for each message it moved: the
 * message's standing after the change, what the metrics label it by, and when it changed.
 */
export interface MessageTransitionRow {
  id: string;
  project_id: string;
  request_id: string;
  request_at: Date;
  reservation_id: string | null;
  to_number: string;
  country_code: string;
  from_number: string;
  type: MessageType;
  content_type: 'COMM' | 'AD';
  status: MessageStatus;
  state: MessageState;
  status_name: 'success' | 'fail' | null;
  status_code: string | null;
  status_message: string | null;
  telco_code: string | null;
  complete_time: Date | null;
  due_at: Date;
  sent_at: Date | null;
  plugin_id: string | null;
  /** the plugin sending it, or the first planned one */
  metric_plugin: string;
  updated_at: Date;
}

/**
 * A transition a statement reads from rows it does not write (`messages` stays in the queue's states through the
 * claim and the vendor's acceptance): the state entered (with its status), the plugin, the time, and for SENT the
 * send time, the outcome fields being empty (as SQL expressions).
 */
export interface ReadTransition {
  readonly state: MessageState;
  readonly pluginId: string;
  readonly updatedAt: string;
  /** the send time entered (SENT); the row's own otherwise */
  readonly sentAt?: string;
}

/**
 * The RETURNING list of a statement over `messages` aliased `alias` (or unaliased: pass 'messages'). `as` reads
 * the rows as a transition the statement does not write to them (ReadTransition).
 */
export function transitionColumns(alias: string, as?: ReadTransition): string {
  const a = alias;
  const state = as ? `'${as.state}'::text AS state` : `${a}.state`;
  const status = as ? `'${STATUS_OF_STATE[as.state]}'::text AS status` : `${a}.status`;
  const plugin = as?.pluginId ?? `${a}.plugin_id`;
  // a message the vendor took shows no outcome yet (a retry's code and text are not its outcome)
  const outcome =
    as?.sentAt === undefined
      ? `${a}.status_name, ${a}.status_code, ${a}.status_message, ${a}.telco_code, ${a}.complete_time, ${a}.due_at,
          ${a}.sent_at`
      : `NULL::text AS status_name, NULL::text AS status_code, NULL::text AS status_message, ${a}.telco_code,
          NULL::timestamptz AS complete_time, ${a}.due_at, ${as.sentAt}::timestamptz AS sent_at`;
  return `${a}.id, ${a}.project_id, ${a}.request_id, ${a}.request_time AS request_at, ${a}.reservation_id,
          ${a}.to_number, ${a}.country_code, ${a}.from_number, ${a}.type, ${a}.content_type, ${status}, ${state},
          ${outcome}, ${plugin} AS plugin_id, COALESCE(${plugin}, ${a}.route[${a}.route_index + 1], '') AS metric_plugin,
          ${as ? `${as.updatedAt}::timestamptz` : `${a}.updated_at`} AS updated_at`;
}

/**
 * Records what a lifecycle statement did, in its transaction (the transactional outbox): the metric counts of
 * the states entered (`message_created` for rows just accepted, `message_state` after), the dispatch latency of
 * those handed to a vendor, and a webhook event for each customer-visible transition whose project has a
 * subscribed endpoint. If any of it fails the caller's transaction fails: a state change never commits without
 * its event and counts, nor they without it.
 */
export async function recordMessageTransitions(
  manager: EntityManager,
  rows: readonly MessageTransitionRow[],
  how: 'accepted' | 'changed',
): Promise<void> {
  if (rows.length === 0) return;
  const tally = new MetricTally();
  for (const row of rows) {
    tally.add(
      how === 'accepted' ? 'message_created' : 'message_state',
      row.metric_plugin,
      row.type,
      row.state,
    );
    if (how === 'changed' && row.state === 'SENT' && row.sent_at !== null)
      tally.addLatency(row.plugin_id ?? '', row.type, (row.sent_at.getTime() - row.due_at.getTime()) / 1000);
  }
  // the counts ride with the subscriber look-up: one round trip for both
  await queueEvents(manager, messageEvents(rows, how), tally);
}

/**
 * Records transitions into a state that makes no event (EVENT_ON_ENTERING: the claim's SENDING, say) in the
 * caller's transaction: their metric counts, all that recordMessageTransitions writes for them; the rows need
 * only the metric labels.
 */
export async function countMessageTransitions(
  manager: EntityManager,
  rows: readonly Pick<MessageTransitionRow, 'metric_plugin' | 'type'>[],
  state: MessageState,
): Promise<void> {
  if (EVENT_ON_ENTERING[state]) throw new Error(`entering ${state} makes an event: record the transitions`);
  if (rows.length === 0) return;
  const tally = new MetricTally();
  for (const row of rows) tally.add('message_state', row.metric_plugin, row.type, state);
  await addCounts(manager, tally);
}

/** The webhook events of these transitions: the customer-visible ones (EVENT_ON_ENTERING; every acceptance). */
export function messageEvents(
  rows: readonly MessageTransitionRow[],
  how: 'accepted' | 'changed',
): PendingEvent[] {
  return rows
    .filter((row) => how === 'accepted' || EVENT_ON_ENTERING[row.state])
    .map((row) => ({
      projectId: row.project_id,
      type: 'message.status_changed',
      at: row.updated_at,
      data: () => messageEventData(standingOf(row)),
    }));
}

function standingOf(row: MessageTransitionRow) {
  return {
    id: row.id,
    requestId: row.request_id,
    requestTime: row.request_at,
    type: row.type,
    contentType: row.content_type,
    countryCode: row.country_code,
    fromNumber: row.from_number,
    toNumber: row.to_number,
    status: row.status,
    state: row.state,
    statusName: row.status_name,
    statusCode: row.status_code,
    statusMessage: row.status_message,
    telcoCode: row.telco_code,
    completeTime: row.complete_time,
    dueAt: row.due_at,
    reservationId: row.reservation_id,
    pluginId: row.plugin_id,
  };
}

/** What a statement over `reservations` returns (`RETURNING ${RESERVATION_TRANSITION_COLUMNS}`). */
export interface ReservationTransitionRow {
  id: string;
  project_id: string;
  request_id: string;
  status: string;
  send_at: Date;
  schedule_id: string | null;
  occurrence_key: string | null;
  updated_at: Date;
}

export const RESERVATION_TRANSITION_COLUMNS =
  'id, project_id, request_id, status, send_at, schedule_id, occurrence_key, updated_at';

/**
 * Records reservation statuses entered (made, started, stale, canceled, skipped, done, failed: every one is on
 * the reservation's own view, so every one is a `reservation.status_changed` event), counted by status, and on
 * their own for occurrences of recurring schedules.
 */
export async function recordReservationTransitions(
  manager: EntityManager,
  rows: readonly ReservationTransitionRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const tally = new MetricTally();
  for (const row of rows) tallyReservation(tally, row);
  await queueEvents(manager, reservationEvents(rows), tally);
}

export function tallyReservation(
  tally: MetricTally,
  row: Pick<ReservationTransitionRow, 'status' | 'schedule_id'>,
) {
  tally.add('reservation_state', '', '', row.status);
  if (row.schedule_id !== null) tally.add('schedule_occurrence_state', '', '', row.status);
}

export function reservationEvents(rows: readonly ReservationTransitionRow[]): PendingEvent[] {
  return rows.map((row) => ({
    projectId: row.project_id,
    type: 'reservation.status_changed',
    at: row.updated_at,
    data: () => ({
      reservationId: row.id,
      requestId: row.request_id,
      status: row.status,
      sendTime: row.send_at.toISOString(),
      scheduleId: row.schedule_id,
      occurrenceKey: row.occurrence_key,
    }),
  }));
}

/** One (plugin, type, state) group of the rows a statement moved, and how many. */
export interface TransitionCount {
  metric_plugin: string;
  type: string;
  state: string;
  n: number;
}

/**
 * The final SELECT of a statement that may move a whole reservation's messages (100,000 rows) and whose moves
 * nobody is to hear of: its rows (a CTE `moved` returning transitionColumns) grouped by the metric labels, so a
 * few rows come back instead of every message.
 */
export function countsOf(moved: string): string {
  return `SELECT metric_plugin, type, state, count(*)::int AS n FROM ${moved} GROUP BY 1, 2, 3`;
}

/** Records grouped transitions (countsOf) in the caller's transaction: counts only, no events. */
export async function recordMessageCounts(
  manager: EntityManager,
  counts: readonly TransitionCount[],
): Promise<number> {
  const tally = new MetricTally();
  let moved = 0;
  for (const c of counts) {
    tally.add('message_state', c.metric_plugin, c.type, c.state, c.n);
    moved += c.n;
  }
  await addCounts(manager, tally);
  return moved;
}

/** Whether a project of these reservations has an enabled endpoint subscribed to message events. */
export async function reservationsAnnounced(
  manager: EntityManager,
  reservationIds: readonly string[],
): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM webhook_endpoints e
      WHERE e.status = 'ENABLED' AND e.event_types && ARRAY['message.status_changed', '*']
        AND e.project_id IN (SELECT project_id FROM reservations WHERE id = ANY($1::uuid[]))
      LIMIT 1`,
    [reservationIds],
  )) as unknown[];
  return rows.length > 0;
}
