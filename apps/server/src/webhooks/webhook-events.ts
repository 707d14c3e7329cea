import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
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
  const eventIds: string[] = [];
  const eventProjects: string[] = [];
  const eventTypes: string[] = [];
  const eventData: string[] = [];
  const eventTimes: Date[] = [];
  const deliveryEvents: string[] = [];
  const deliveryEndpoints: string[] = [];
  const deliveryProjects: string[] = [];
  const deliveryTimes: Date[] = [];
  for (const event of events) {
    const endpoints = subscribers.filter(
      (s) =>
        s.project_id === event.projectId &&
        (s.event_types.includes(event.type) || s.event_types.includes('*')),
    );
    if (endpoints.length === 0) continue;
    const id = randomUUID();
    eventIds.push(id);
    eventProjects.push(event.projectId);
    eventTypes.push(event.type);
    eventData.push(JSON.stringify(event.data()));
    eventTimes.push(event.at);
    for (const endpoint of endpoints) {
      deliveryEvents.push(id);
      deliveryEndpoints.push(endpoint.id);
      deliveryProjects.push(event.projectId);
      deliveryTimes.push(event.at);
    }
  }
  if (eventIds.length === 0) return 0;
  await manager.query(
    `WITH events AS (
       INSERT INTO webhook_events (id, project_id, type, data, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[])
       RETURNING id
     ), deliveries AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id, project_id, status, created_at)
       SELECT d.event_id, d.endpoint_id, d.project_id, 'PENDING', d.created_at
         FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::timestamptz[])
              AS d(event_id, endpoint_id, project_id, created_at)
        WHERE d.event_id IN (SELECT id FROM events)
     )
     SELECT pg_notify($10, '')`,
    [
      eventIds,
      eventProjects,
      eventTypes,
      eventData,
      eventTimes,
      deliveryEvents,
      deliveryEndpoints,
      deliveryProjects,
      deliveryTimes,
      WEBHOOK_CHANNEL,
    ],
  );
  return eventIds.length;
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
     SELECT id, project_id, event_types FROM webhook_endpoints
      WHERE status = 'ENABLED' AND project_id = ANY($1::uuid[]) AND event_types && $2::text[]`,
    [[...new Set(projectIds)], [...new Set(types), '*'], ...(counting ? counts.columns() : [])],
  )) as Subscriber[];
}
