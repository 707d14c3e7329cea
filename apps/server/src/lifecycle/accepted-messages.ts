import type { EntityManager } from 'typeorm';
import type { MetricTally } from '../metrics/metric-counts';
import { ROWS_PER_STATEMENT, unnestColumns, type BulkColumn } from '../messages/bulk-insert';
import { messageIds } from '../messages/message-id';
import { MESSAGE_COLUMNS, type AcceptedMessage } from '../messages/send-plan';
import { EVENTS_PER_STATEMENT, findSubscribers, queueEvents } from '../webhooks/webhook-events';
import { messageEvents, transitionColumns, type MessageTransitionRow } from './transition-events';

/**
 * The queue insert of messages entering the queue, as a statement over `source` (a CTE or table with `id`,
 * `request_time`, `project_id`, `plugin_id` — the plugin of the first attempt — and, unless `visibleAt` is given,
 * `due_at`). Used inside the statements that accept or release messages, so a message and its queue row are
 * written together.
 */
export function enqueueFrom(source: string, visibleAt = `${source}.due_at`): string {
  return `INSERT INTO message_queue (message_id, request_time, project_id, plugin_id, visible_at)
       SELECT ${source}.id, ${source}.request_time, ${source}.project_id, COALESCE(${source}.plugin_id, ''),
              ${visibleAt}
         FROM ${source}`;
}

/**
 * The CTEs that insert accepted message rows (ACCEPTED_MESSAGE_COLUMNS read from `from` by `expressions`, the id
 * first: made by messageIds, a UUIDv7 of the request time; filtered by `where`) and give each QUEUED one its
 * queue row: `accepted_messages` then `enqueued`. A RESERVED message gets its queue row at release, a refused
 * one (final at once) never.
 */
export function acceptMessagesCtes(expressions: readonly string[], from: string, where = 'true'): string {
  if (expressions.length !== ACCEPTED_MESSAGE_COLUMNS.length)
    throw new Error(`accepted messages need ${ACCEPTED_MESSAGE_COLUMNS.length} columns, the id first`);
  return `accepted_messages AS (
         INSERT INTO messages (${ACCEPTED_MESSAGE_COLUMNS.map((c) => c.name).join(', ')})
         SELECT ${expressions.join(', ')} FROM ${from} WHERE ${where}
         RETURNING id, request_time, project_id, route[route_index + 1] AS plugin_id, due_at, state
       ), queued_messages AS (
         SELECT * FROM accepted_messages WHERE state = 'QUEUED'
       ), enqueued AS (
         ${enqueueFrom('queued_messages')}
       )`;
}

/** The columns an accepting statement writes: the id (messageIds), then MESSAGE_COLUMNS. */
export const ACCEPTED_MESSAGE_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  ...MESSAGE_COLUMNS,
];

/**
 * The id and MESSAGE_COLUMNS of accepted rows, cell by cell (unnestColumns), their ids made here: in SQL they
 * cost PostgreSQL ~6 µs of a row's ~29 (messageIds).
 */
export function acceptedMessageCells(
  rows: readonly AcceptedMessage[],
): (column: number, row: number) => unknown {
  const ids = messageIds(rows);
  return (column, row) => (column === 0 ? ids[row] : rows[row]![MESSAGE_COLUMNS[column - 1]!.field]);
}

/**
 * Inserts accepted message rows (and the queue rows of the QUEUED ones) with one statement per chunk of
 * ROWS_PER_STATEMENT, never row by row; their ids made here (messageIds: the bulk send's critical path is this
 * statement's time in PostgreSQL).
 */
export async function insertAcceptedMessages(
  manager: EntityManager,
  rows: readonly AcceptedMessage[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const slice = rows.slice(start, start + ROWS_PER_STATEMENT);
    const chunk = unnestColumns(ACCEPTED_MESSAGE_COLUMNS, slice.length, acceptedMessageCells(slice), 'u');
    await manager.query(
      `WITH ${acceptMessagesCtes(chunk.expressions, chunk.from)} SELECT count(*) FROM accepted_messages`,
      [...chunk.values],
    );
  }
}

/**
 * Counts message rows about to be stored by their first state: from the values the
 * statement sends, so an insert of 100,000 rows returns nothing to count them. The plugin is the first planned
 * one (no plugin has the message yet).
 */
export function tallyAccepted(tally: MetricTally, rows: readonly AcceptedMessage[]): void {
  for (const row of rows) tally.add('message_created', row.route[0] ?? '', row.type, row.state);
}

/** A send request whose messages this transaction stored. */
export interface AcceptedRequest {
  readonly projectId: string;
  readonly requestId: string;
  readonly requestTime: Date;
}

/**
 * The `message.status_changed` events of messages this transaction stored, for the requests whose project has
 * a subscribed endpoint: their rows are read back (by the request index) only then, so a project without
 * endpoints costs one index probe per batch.
 */
export async function queueAcceptedEvents(
  manager: EntityManager,
  requests: readonly AcceptedRequest[],
  /** their metric counts, written by the look-up's statement */
  counts?: MetricTally,
): Promise<void> {
  const subscribers = await findSubscribers(
    manager,
    requests.map((r) => r.projectId),
    ['message.status_changed'],
    counts,
  );
  const subscribed = new Set(subscribers.map((s) => s.project_id));
  const wanted = requests.filter((r) => subscribed.has(r.projectId));
  if (wanted.length === 0) return;
  const requestIds = wanted.map((r) => r.requestId);
  const requestTimes = [...new Set(wanted.map((r) => r.requestTime.toISOString()))];
  // Read back a page at a time in the order of messages_request (a 100,000-recipient bulk is 20 pages).
  let after: { requestId: string; index: number } | null = null;
  for (;;) {
    const rows = (await manager.query(
      `SELECT ${transitionColumns('m')}, m.recipient_index FROM messages m
        WHERE m.request_id = ANY($1::uuid[]) AND m.request_time = ANY($2::timestamptz[])
          AND ($3::uuid IS NULL OR (m.request_id, m.recipient_index) > ($3::uuid, $4::int))
        ORDER BY m.request_id, m.recipient_index LIMIT ${EVENTS_PER_STATEMENT}`,
      [requestIds, requestTimes, after?.requestId ?? null, after?.index ?? null],
    )) as (MessageTransitionRow & { recipient_index: number })[];
    await queueEvents(manager, messageEvents(rows, 'accepted'));
    const last = rows[rows.length - 1];
    if (rows.length < EVENTS_PER_STATEMENT || !last) return;
    after = { requestId: last.request_id, index: last.recipient_index };
  }
}

/**
 * Records messages this transaction stored (counted into `tally` as they were written): their counts, in the
 * statement that looks up subscribed endpoints, and their events for projects with one.
 */
export async function recordAcceptedMessages(
  manager: EntityManager,
  tally: MetricTally,
  requests: readonly AcceptedRequest[],
): Promise<void> {
  await queueAcceptedEvents(manager, requests, tally);
}
