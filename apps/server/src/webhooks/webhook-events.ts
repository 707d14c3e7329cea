import type { EntityManager } from 'typeorm';
import { timeOrderedId } from '../messages/message-id';
import { messageStanding, type MessageStanding, type MessageStandingRow } from '../messages/message-standing';
import { addCounts, tallyUpsert, type MetricTally } from '../metrics/metric-counts';
import { WEBHOOK_CHANNEL } from './webhook-channel';
import type { EventType } from './webhooks.dto';

/**
 * A webhook event's data, built here and nowhere else: the payload is what a project's receiver sees, so it is
 * code (changing it needs no migration) and the message part is the API's own view (messageStanding).
 */
export type MessageEventData = MessageStanding & { pluginId: string | null };

export function messageEventData(row: MessageStandingRow & { pluginId: string | null }): MessageEventData {
  return { ...messageStanding(row), pluginId: row.pluginId };
}

export interface ReservationEventData {
  reservationId: string;
  requestId: string;
  status: string;
  sendTime: string;
  scheduleId: string | null;
  occurrenceKey: string | null;
}

/** One event to offer to the project's endpoints subscribed to its type. */
export interface PendingEvent {
  readonly projectId: string;
  readonly type: EventType;
  /** when the change happened (the row's updated_at): the event's createdAt */
  readonly at: Date;
  /** built only for projects that have a subscribed endpoint */
  readonly data: () => MessageEventData | ReservationEventData;
}

/** An enabled endpoint subscribed to some of the types asked for. */
export interface Subscriber {
  id: string;
  project_id: string;
  event_types: string[];
}

/** Events per statement: a 100,000-recipient bulk's events go in chunks, never all in memory at once. */
export const EVENTS_PER_STATEMENT = 5000;

/**
 * Writes the events, and one PENDING delivery per subscribed enabled endpoint, inside the caller's transaction,
 * so they commit (or roll back) with the change they describe. A project without such an endpoint gets no row
 * and costs one index probe. One look-up of the subscribers, then one statement per EVENTS_PER_STATEMENT events
 * writing events and deliveries together; the delivery worker hears of them by NOTIFY at commit.
 */
export async function queueEvents(
  manager: EntityManager,
  events: readonly PendingEvent[],
  counts?: MetricTally,
): Promise<number> {
  if (events.length === 0) {
    if (counts) await addCounts(manager, counts);
    return 0;
  }
  const subscribers = await findSubscribers(
    manager,
    events.map((e) => e.projectId),
    events.map((e) => e.type),
    counts,
  );
  if (subscribers.length === 0) return 0;
  let written = 0;
  for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT)
    written += await writeEvents(manager, events.slice(start, start + EVENTS_PER_STATEMENT), subscribers);
  return written;
}

async function writeEvents(
  manager: EntityManager,
  events: readonly PendingEvent[],
  subscribers: readonly Subscriber[],
): Promise<number> {
  const rows: EventRow[] = [];
  for (const event of events) {
    const endpointIds = subscribers
      .filter(
        (s) =>
          s.project_id === event.projectId &&
          (s.event_types.includes(event.type) || s.event_types.includes('*')),
      )
      .map((s) => s.id);
    if (endpointIds.length === 0) continue;
    rows.push({
      id: timeOrderedId(event.at),
      projectId: event.projectId,
      type: event.type,
      data: JSON.stringify(event.data()),
      at: event.at,
      endpointIds,
    });
  }
  await insertEventRows(manager, rows);
  return rows.length;
}

/** One webhook_events row to write, with the endpoints it is delivered to. */
export interface EventRow {
  readonly id: string;
  readonly projectId: string;
  /** an EventType, or the test event's type */
  readonly type: string;
  /** the event's data, as JSON text */
  readonly data: string;
  /** the event's createdAt, and its deliveries' */
  readonly at: Date;
  readonly endpointIds: readonly string[];
}

/**
 * The outbox statement, the one writer of webhook_events and webhook_deliveries (the outbox above and the test
 * event both use it): the events, one PENDING delivery per endpoint, and a NOTIFY that wakes the delivery
 * workers listening on a PostgreSQL server at commit (PGlite: the worker's timer). One statement, in the
 * caller's transaction.
 */
export async function insertEventRows(
  manager: Pick<EntityManager, 'query'>,
  rows: readonly EventRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const deliveryIds: string[] = [];
  const deliveryEvents: string[] = [];
  const deliveryEndpoints: string[] = [];
  const deliveryProjects: string[] = [];
  const deliveryTimes: Date[] = [];
  for (const row of rows) {
    for (const endpointId of row.endpointIds) {
      deliveryIds.push(timeOrderedId(row.at));
      deliveryEvents.push(row.id);
      deliveryEndpoints.push(endpointId);
      deliveryProjects.push(row.projectId);
      deliveryTimes.push(row.at);
    }
  }
  await manager.query(
    `WITH events AS (
       INSERT INTO webhook_events (id, project_id, type, data, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[])
       RETURNING id
     ), deliveries AS (
       INSERT INTO webhook_deliveries (id, event_id, endpoint_id, project_id, status, created_at)
       SELECT d.id, d.event_id, d.endpoint_id, d.project_id, 'PENDING', d.created_at
         FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::uuid[], $10::timestamptz[])
              AS d(id, event_id, endpoint_id, project_id, created_at)
        WHERE d.event_id IN (SELECT id FROM events)
     )
     SELECT pg_notify($11, '')`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.projectId),
      rows.map((r) => r.type),
      rows.map((r) => r.data),
      rows.map((r) => r.at),
      deliveryIds,
      deliveryEvents,
      deliveryEndpoints,
      deliveryProjects,
      deliveryTimes,
      WEBHOOK_CHANNEL,
    ],
  );
}

/** The enabled endpoints of these projects subscribed to any of these event types (or to `*`): one index probe each. */
export async function findSubscribers(
  manager: Pick<EntityManager, 'query'>,
  projectIds: readonly string[],
  types: readonly EventType[],
  /** metric counts of the same change, written by the same statement (one round trip for both) */
  counts?: MetricTally,
): Promise<Subscriber[]> {
  const counting = counts !== undefined && counts.size > 0;
  if (projectIds.length === 0) {
    if (counting) await manager.query(tallyUpsert(1), counts.columns());
    return [];
  }
  return (await manager.query(
    `${counting ? `WITH counted AS (${tallyUpsert(3)}) ` : ''}
     SELECT id, project_id, event_types FROM webhook_endpoints WHERE ${subscribedEndpoint('$1', '$2')}`,
    [[...new Set(projectIds)], subscriptionsOf(types), ...(counting ? counts.columns() : [])],
  )) as Subscriber[];
}

/**
 * The condition on webhook_endpoints of an enabled endpoint of the projects in parameter `projects` (uuid[])
 * subscribed to any of the types in parameter `types` (text[], as `subscriptionsOf` makes it).
 */
export function subscribedEndpoint(projects: string, types: string): string {
  return `status = 'ENABLED' AND project_id = ANY(${projects}::uuid[]) AND event_types && ${types}::text[]`;
}

/** The subscriptions that take any of these event types: each of them, or all (`*`). */
export function subscriptionsOf(types: readonly EventType[]): string[] {
  return [...new Set(types), '*'];
}
