import type { DataSource } from 'typeorm';
import { DISPATCH_CHANNEL } from '../dispatch/dispatch-signal';
import {
  ACCEPTED_MESSAGE_COLUMNS,
  acceptedMessageCells,
  acceptMessagesCtes,
  queueAcceptedEvents,
  tallyAccepted,
} from '../lifecycle/accepted-messages';
import { reservationEvents, tallyReservation } from '../lifecycle/transition-events';
import { countsUpsert, MetricTally } from '../metrics/metric-counts';
import { queueEvents, subscribedEndpoint, subscriptionsOf } from '../webhooks/webhook-events';
import { EVENT_TYPES } from '../webhooks/webhooks.dto';
import { type BulkColumn, unnestColumns, unnestRows } from './bulk-insert';
import { ON_IDEMPOTENCY_KEY_CONFLICT } from './idempotency';
import type { RowsQuery } from './prepared-statements';
import type { AcceptedMessage } from './send-plan';

/** The send_requests columns a JSON send writes, in the order of `StoredSend.request`. */
export const SEND_REQUEST_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'project_id', type: 'uuid' },
  { name: 'request_time', type: 'timestamptz' },
  { name: 'content_type', type: 'text' },
  { name: 'requested_type', type: 'text' },
  { name: 'country_code', type: 'text' },
  { name: 'from_number', type: 'text' },
  { name: 'subject', type: 'text' },
  { name: 'content', type: 'text' },
  { name: 'file_ids', type: 'uuid[]' },
  { name: 'reserve_time', type: 'timestamptz' },
  { name: 'reserve_time_zone', type: 'text' },
  { name: 'reservation_id', type: 'uuid' },
  { name: 'idempotency_key', type: 'text' },
  { name: 'idempotency_fingerprint', type: 'text' },
  { name: 'response', type: 'jsonb' },
  { name: 'accepted_count', type: 'int' },
  { name: 'rejected_count', type: 'int' },
  { name: 'source', type: 'text' },
];

/** The reservations columns, in the order of `StoredSend.reservation`. */
export const RESERVATION_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'project_id', type: 'uuid' },
  { name: 'request_id', type: 'uuid' },
  { name: 'send_at', type: 'timestamptz' },
  { name: 'status', type: 'text' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
];

/** One accepted send, as rows: its request, its reservation (if it waits for one) and its messages. */
export interface StoredSend {
  readonly requestId: string;
  /** SEND_REQUEST_COLUMNS values */
  readonly request: readonly unknown[];
  /** RESERVATION_COLUMNS values, or null when the messages go now */
  readonly reservation: readonly unknown[] | null;
  /** one row per recipient */
  readonly messages: readonly AcceptedMessage[];
  /** the key that asked: the store re-checks it is not revoked */
  readonly apiKeyId: string;
}

/** Sends per statement, and message rows per statement (one 1,000-recipient send is one statement alone). */
const MAX_SENDS = 200;
const MAX_ROWS = 5000;
/** Statements in flight at once: one being written while the next batch gathers (two keeps the pipe full). */
const MAX_IN_FLIGHT = 2;
/**
 * A statement starts beside one in flight only with at least this many sends (or message rows) queued. Each
 * statement costs PostgreSQL CPU of its own (planning the CTEs, opening the partitions and their indexes, the
 * commit): fitted over alternating runs at load 20-27, ~2.6 ms a statement against ~0.075 ms a send, so a
 * statement pays for itself from ~30 sends. Started at once, the second statement carried the one or two sends
 * that arrived meanwhile (half the batches were 1-4 sends): 0.20-0.35 ms of PostgreSQL CPU per send, against
 * 0.14-0.16 ms with one statement at a time.
 */
const PIPELINED_MIN_SENDS = 32;
const PIPELINED_MIN_ROWS = 1000;

interface Pending {
  readonly send: StoredSend;
  readonly resolve: (stored: boolean) => void;
  readonly reject: (error: unknown) => void;
}

const GUARDED_REQUEST_COLUMNS = [...SEND_REQUEST_COLUMNS, { name: 'api_key_id', type: 'uuid' }];

/**
 * Stores accepted sends, many per statement (group commit): while a statement is being written, the sends that
 * arrive meanwhile gather and go together in the next one (a second one beside it once enough have gathered). Under load one commit (and one WAL flush) then
 * serves dozens of single-recipient sends, and a lone send still goes at once, in one round trip.
 *
 * The statement stores a send only if, when it runs, its API key is not revoked and its `from` is an APPROVED
 * calling number of its project, and no send of the project holds its Idempotency-Key yet. The send path
 * plans against cached reads of keys and calling numbers (MUNJA_AUTH_CACHE_MS); this re-check is what makes
 * a revocation or a rejection committed anywhere stop the very next send. `write` answers false for a send
 * these checks refused (nothing of it stored): its caller finds out why with fresh reads.
 *
 * One data-modifying statement is atomic, so no BEGIN/COMMIT round trips: a send is stored whole or not at all.
 * If the statement fails, each of its sends is written again alone, so one bad send fails only itself.
 */
export class SendWriter {
  private readonly queue: Pending[] = [];
  /** message rows of the queued sends */
  private queuedRows = 0;
  private inFlight = 0;

  constructor(
    private readonly db: DataSource,
    /** after a statement stored sends that go now (not reserved): wake this process's dispatcher */
    private readonly onQueued: () => void,
    /** runs the batch statement outside a transaction (prepared-statements.ts: named on a PostgreSQL server) */
    private readonly query: RowsQuery = (text, values) => db.query(text, values),
  ) {}

  write(send: StoredSend): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ send, resolve, reject });
      this.queuedRows += send.messages.length;
      this.pump();
    });
  }

  /** A statement goes when none is in flight, or beside one when enough has queued to be worth its own. */
  private pump(): void {
    while (
      this.queue.length > 0 &&
      (this.inFlight === 0 ||
        (this.inFlight < MAX_IN_FLIGHT &&
          (this.queue.length >= PIPELINED_MIN_SENDS || this.queuedRows >= PIPELINED_MIN_ROWS)))
    ) {
      const batch = this.take();
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && batch.length < MAX_SENDS) {
      const next = this.queue[0]!;
      if (batch.length > 0 && rows + next.send.messages.length > MAX_ROWS) break;
      rows += next.send.messages.length;
      batch.push(this.queue.shift()!);
    }
    this.queuedRows -= rows;
    return batch;
  }

  private async flush(batch: readonly Pending[]): Promise<void> {
    try {
      const stored = await this.store(batch.map((p) => p.send));
      for (const p of batch) p.resolve(stored.has(p.send.requestId));
    } catch (error) {
      // the sends the first statement committed before the subscribed projects' transaction failed are stored
      const committed = error instanceof PartlyStored ? error.stored : new Set<string>();
      const rest = batch.filter((p) => !committed.has(p.send.requestId));
      for (const p of batch) if (committed.has(p.send.requestId)) p.resolve(true);
      if (batch.length === 1) {
        batch[0]!.reject(causeOf(error));
        return;
      }
      for (const p of rest) {
        try {
          p.resolve((await this.store([p.send])).has(p.send.requestId));
        } catch (alone) {
          p.reject(causeOf(alone));
        }
      }
    }
  }

  /**
   * The sends stored, with their metric counts; the ids of those stored. Usually one statement: it stores the
   * sends of projects without a webhook endpoint subscribed to message or reservation events (in the same
   * snapshot it looks those endpoints up) and names the projects that have one. Their sends are then stored
   * again with their events, committed together in one transaction. An endpoint enabled while a batch is
   * being stored may miss that batch's events.
   */
  private async store(sends: readonly StoredSend[]): Promise<Set<string>> {
    const first = await this.insert(this.query, sends, { unsubscribedOnly: true });
    const stored = first.stored;
    const subscribed = sends.filter((s) => first.subscribed.has(projectOf(s)));
    if (subscribed.length > 0) {
      const ids = await this.storeWithEvents(subscribed).catch((error: unknown) => {
        if (sends.some((s) => s.reservation === null && stored.has(s.requestId))) this.onQueued();
        throw new PartlyStored(stored, error);
      });
      for (const id of ids) stored.add(id);
    }
    if (sends.some((s) => s.reservation === null && stored.has(s.requestId))) this.onQueued();
    return stored;
  }

  /** Sends of projects with a subscribed endpoint, and their events, in one transaction. */
  private storeWithEvents(subscribed: readonly StoredSend[]): Promise<Set<string>> {
    return this.db.transaction(async (manager) => {
      const { stored: ids } = await this.insert((text, values) => manager.query(text, values), subscribed, {
        unsubscribedOnly: false,
      });
      const accepted = subscribed.filter((s) => ids.has(s.requestId));
      await queueAcceptedEvents(
        manager,
        accepted.map((s) => ({
          projectId: projectOf(s),
          requestId: s.requestId,
          requestTime: s.request[REQUEST_TIME_COLUMN] as Date,
        })),
      );
      await queueEvents(
        manager,
        reservationEvents(accepted.flatMap((s) => (s.reservation ? [reservationRow(s.reservation)] : []))),
      );
      return ids;
    });
  }

  /**
   * The one statement. `unsubscribedOnly`: it leaves out the sends of projects with a subscribed webhook
   * endpoint and answers those projects in `subscribed`.
   */
  private async insert(
    query: RowsQuery,
    sends: readonly StoredSend[],
    { unsubscribedOnly }: { unsubscribedOnly: boolean },
  ): Promise<{ stored: Set<string>; subscribed: Set<string> }> {
    const requests = unnestRows(
      GUARDED_REQUEST_COLUMNS,
      sends.map((s) => [...s.request, s.apiKeyId]),
      'r',
    );
    let next = 1 + requests.values.length;
    const reservations = unnestRows(
      RESERVATION_COLUMNS,
      sends.flatMap((s) => (s.reservation ? [s.reservation] : [])),
      'v',
      next,
    );
    next += reservations.values.length;
    const accepted = sends.flatMap((s) => s.messages);
    const messages = unnestColumns(
      ACCEPTED_MESSAGE_COLUMNS,
      accepted.length,
      acceptedMessageCells(accepted),
      'm',
      next,
    );
    next += messages.values.length;
    const counts = countColumns(sends);
    const countsAt = next;
    next += counts.length;
    const subscriptions = unsubscribedOnly
      ? [[...new Set(sends.map(projectOf))], subscriptionsOf(EVENT_TYPES)]
      : [];
    const subscriptionsAt = next;
    next += subscriptions.length;
    const names = (columns: readonly BulkColumn[]) => columns.map((c) => c.name).join(', ');
    const requestValues = requests.expressions.slice(0, SEND_REQUEST_COLUMNS.length).join(', ');
    const rows = await query<{ id: string | null; subscribed: string | null }>(
      `WITH ${
        unsubscribedOnly
          ? `subscribed AS (
         SELECT DISTINCT project_id FROM webhook_endpoints
          WHERE ${subscribedEndpoint(`$${subscriptionsAt}`, `$${subscriptionsAt + 1}`)}
       ), `
          : ''
      }accepted AS (
         INSERT INTO send_requests (${names(SEND_REQUEST_COLUMNS)})
         SELECT ${requestValues} FROM ${requests.from}
          WHERE ${
            unsubscribedOnly
              ? `NOT EXISTS (SELECT 1 FROM subscribed s WHERE s.project_id = ${requests.column('project_id')})
            AND `
              : ''
          }EXISTS (SELECT 1 FROM api_keys k
                         WHERE k.id = ${requests.column('api_key_id')} AND k.revoked_at IS NULL)
            AND EXISTS (SELECT 1 FROM calling_numbers n
                         WHERE n.project_id = ${requests.column('project_id')}
                           AND n.number = ${requests.column('from_number')} AND n.status = 'APPROVED')
         ${ON_IDEMPOTENCY_KEY_CONFLICT}
         RETURNING id, reservation_id
       ), reserved AS (
         INSERT INTO reservations (${names(RESERVATION_COLUMNS)})
         SELECT ${reservations.expressions.join(', ')} FROM ${reservations.from}
          WHERE ${reservations.column('request_id')} IN (SELECT id FROM accepted)
       ), ${acceptMessagesCtes(
         messages.expressions,
         messages.from,
         `${messages.column('request_id')} IN (SELECT id FROM accepted)`,
       )}, counted AS (
         ${countsUpsert(
           `SELECT metric, plugin, type, state, sum(value) FROM unnest(${counts
             .map((_, i) => `$${countsAt + i}::${COUNT_TYPES[i]}[]`)
             .join(', ')}) AS n(request_id, metric, plugin, type, state, value)
             WHERE request_id IN (SELECT id FROM accepted) GROUP BY 1, 2, 3, 4`,
         )}
       )
       -- other processes' dispatchers hear of sends that go now (delivered at commit, once per statement)
       SELECT id, NULL::uuid AS subscribed, CASE WHEN reservation_id IS NULL THEN pg_notify($${next}, '') END AS woke
         FROM accepted${
           unsubscribedOnly
             ? `
       UNION ALL SELECT NULL, project_id, NULL FROM subscribed`
             : ''
         }`,
      [
        ...requests.values,
        ...reservations.values,
        ...messages.values,
        ...counts,
        ...subscriptions,
        DISPATCH_CHANNEL,
      ],
    );
    const stored = new Set<string>();
    const subscribed = new Set<string>();
    for (const row of rows) {
      if (row.id !== null) stored.add(row.id);
      if (row.subscribed !== null) subscribed.add(row.subscribed);
    }
    return { stored, subscribed };
  }
}

const PROJECT_COLUMN = SEND_REQUEST_COLUMNS.findIndex((c) => c.name === 'project_id');
const projectOf = (send: StoredSend) => String(send.request[PROJECT_COLUMN]);

/** The transaction of a batch's subscribed projects failed after its first statement committed `stored`. */
class PartlyStored extends Error {
  constructor(
    readonly stored: ReadonlySet<string>,
    override readonly cause: unknown,
  ) {
    super('the sends of projects with a subscribed webhook endpoint could not be stored');
  }
}

const causeOf = (error: unknown) => (error instanceof PartlyStored ? error.cause : error);
const REQUEST_TIME_COLUMN = SEND_REQUEST_COLUMNS.findIndex((c) => c.name === 'request_time');
const COUNT_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'bigint'];

/** A reservation row (RESERVATION_COLUMNS values) as its transition. */
function reservationRow(values: readonly unknown[]) {
  const [id, projectId, requestId, sendAt, status, , updatedAt] = values;
  return {
    id: String(id),
    project_id: String(projectId),
    request_id: String(requestId),
    status: String(status),
    send_at: sendAt as Date,
    schedule_id: null,
    occurrence_key: null,
    updated_at: updatedAt as Date,
  };
}

/** Each send's metric counts (its messages by first state, its reservation), as unnest columns by request. */
function countColumns(sends: readonly StoredSend[]): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], []];
  for (const send of sends) {
    const tally = new MetricTally();
    tallyAccepted(tally, send.messages);
    if (send.reservation) tallyReservation(tally, { status: String(send.reservation[4]), schedule_id: null });
    const [metric, plugin, type, state, value] = tally.columns();
    metric.forEach((_, i) => {
      columns[0]!.push(send.requestId);
      columns[1]!.push(metric[i]);
      columns[2]!.push(plugin[i]);
      columns[3]!.push(type[i]);
      columns[4]!.push(state[i]);
      columns[5]!.push(value[i]);
    });
  }
  return columns;
}
