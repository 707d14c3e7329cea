import type { DataSource, EntityManager } from 'typeorm';
import { exactTime, type MessageKey } from '../dispatch/message-key';
import type { NextStep } from '../dispatch/next-step';
import { KEYED_UPDATE, ORDERED_CLAIM, planWith, sql, type PlannerSettings } from '../dispatch/sql';
import { IN_QUEUE, stateList, toState, toStateOf, type QueueStanding } from './message-states';
import {
  countMessageTransitions,
  recordMessageTransitions,
  transitionColumns,
  type MessageTransitionRow,
} from './transition-events';

/**
 * The transaction advisory lock (key `hashtext` of this name) every claim of the queue takes before its
 * statement: claims run one after another, each seeing the leases of the last. It is held until the claim's
 * transaction commits (its statement and counts: a few milliseconds for 500 rows) and writes no WAL, unlike the
 * row locks it replaces.
 * Advisory locks are per database; nothing else takes this one.
 */
export const CLAIM_LOCK = 'munja_message_queue_claim';

/** A message row claimed for sending (only the columns a send needs). */
export interface ClaimedMessage extends MessageKey {
  readonly projectId: string;
  readonly requestId: string;
  readonly toNumber: string;
  readonly countryCode: string;
  readonly fromNumber: string;
  readonly type: 'SMS' | 'LMS' | 'MMS' | 'INTL';
  readonly contentType: 'COMM' | 'AD';
  readonly subject: string | null;
  readonly content: string;
  readonly parts: number | null;
  readonly fileIds: string[];
  readonly route: string[];
  readonly routeIndex: number;
  readonly attempts: number;
  /** route[routeIndex]: the plugin this attempt goes to */
  readonly pluginId: string;
  readonly reservationId: string | null;
  /** claimed again after another worker's lease on it expired (that worker may have sent it: at-least-once) */
  readonly recovered: boolean;
}

/** A claimed row: what its send needs, and the metric labels of the SENDING transition it stands for. */
interface ClaimedRow {
  id: string;
  request_time: string;
  project_id: string;
  request_id: string;
  to_number: string;
  country_code: string;
  from_number: string;
  type: ClaimedMessage['type'];
  content_type: ClaimedMessage['contentType'];
  metric_plugin: string;
  subject: string | null;
  content: string;
  parts: number | null;
  file_ids: string[];
  route: string[];
  route_index: number;
  attempts: number;
  plugin_id: string;
  reservation_id: string | null;
  recovered: boolean;
}

/**
 * Claims visible, unleased rows of the queue, oldest first: $1 now, $2 limit, $3 owner, $4 lease until, $5
 * slowed-down plugins. The lease is `lease_until` (not indexed: the claim is a HOT update); a row whose lease
 * passed (its worker died) is claimed again like any other (`recovered`). The message rows are only read: a
 * claimed message stays QUEUED in `messages`, and the API shows it SENDING (PROCESSING) while its queue row is
 * leased (`queueStandings`, `shownState`), so the claim writes nothing to the history (it was an in-place update of ~160 WAL
 * bytes a message). The rows come back as the SENDING transition they stand for (counted in the metrics; no
 * event), on the plugin of their route step. Planned with ORDERED_CLAIM (an ordered walk of
 * message_queue_visible that stops at the limit, stepping over the rows leased at its head).
 *
 * No row lock: the lease update is the claim. `FOR UPDATE SKIP LOCKED` wrote a lock record (~54 WAL bytes a
 * message) before the update of the same row. Claimers take CLAIM_LOCK first instead (`MessageQueue.claim`), so
 * each claim's snapshot sees the leases of the claims before it. The UPDATE repeats the walk's conditions on
 * the row it changes: a row another statement changed meanwhile (an outcome, a hand-back, a claim run without
 * the lock) is checked again in its newest version (READ COMMITTED) and left alone once it is leased, gone or
 * no longer visible, so no row is ever leased twice.
 *
 * SENDING makes no event (EVENT_ON_ENTERING), so the rows carry only the transition's metric labels, not the
 * standing an event is built from (transitionColumns: ten more columns a row, five of them times that the
 * database formatted and the service parsed into Dates, for nothing).
 */
export const CLAIM_STATEMENT = `WITH due AS (
         SELECT message_id, lease_owner FROM message_queue
          WHERE visible_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
            AND NOT (plugin_id = ANY($5::text[]))
          ORDER BY visible_at
          LIMIT $2
       ), leased AS (
         UPDATE message_queue q SET lease_until = $4, lease_owner = $3
           FROM due WHERE q.message_id = due.message_id
            AND q.visible_at <= $1 AND (q.lease_until IS NULL OR q.lease_until <= $1)
            AND NOT (q.plugin_id = ANY($5::text[]))
         RETURNING q.message_id, q.request_time, due.lease_owner IS NOT NULL AS recovered
       )
       SELECT m.id, m.project_id, m.request_id, m.reservation_id, m.to_number, m.country_code, m.from_number,
              m.type, m.content_type, m.route[m.route_index + 1] AS plugin_id,
              COALESCE(m.route[m.route_index + 1], '') AS metric_plugin,
              ${exactTime('m.request_time')} AS request_time, m.subject, m.content, m.parts, m.file_ids, m.route,
              m.route_index, m.attempts, leased.recovered
         FROM leased JOIN messages m ON m.id = leased.message_id AND m.request_time = leased.request_time
        WHERE m.state IN ${stateList(IN_QUEUE)}`;

/**
 * Records vendor acceptances: $1 now, then arrays of $2 ids, $3 plugins, $4 vendor ids, $5 vendor request
 * ids, $6 request times. The queue row goes, and an awaiting row keyed by the vendor's id takes its place, with
 * the send time and the vendor's request id; the message row is not written (it stays in the queue's states, and
 * the API shows SENT once its queue row is gone: `shownState`; the final outcome writes the plugin, the vendor id
 * and the send time to it, from the awaiting row). That in-place update was ~120 WAL bytes a message. The
 * statement moves only messages whose queue row it deleted and whose row is still in the queue's states: a
 * message a report closed meanwhile, or that another worker's acceptance already recorded (a lease that expired
 * while the vendor call was out), awaits nothing more. A vendor id already awaited (a vendor repeating an id)
 * keeps its first row: checked by NOT EXISTS and DISTINCT ON rather than ON CONFLICT DO NOTHING, whose
 * speculative insertion wrote a 48-byte confirmation record per row. The rows come back as the SENT transition
 * they stand for (counts, latency, events). Planned with KEYED_UPDATE (one primary-key probe per row).
 */
export const RECORD_SENT_STATEMENT = `WITH v AS (
         SELECT * FROM unnest($2::uuid[], $6::timestamptz[], $3::text[], $4::text[], $5::text[])
                AS v(id, request_time, plugin_id, vendor_message_id, vendor_request_id)
       ), dequeued AS (
         DELETE FROM message_queue q USING v WHERE q.message_id = v.id RETURNING q.message_id
       ), sent AS (
         SELECT ${transitionColumns('m', { state: 'SENT', pluginId: 'v.plugin_id', updatedAt: '$1', sentAt: '$1' })},
                m.request_time, v.vendor_message_id, v.vendor_request_id
           FROM dequeued d JOIN v ON v.id = d.message_id
           JOIN messages m ON m.id = v.id AND m.request_time = v.request_time
          WHERE m.state IN ${stateList(IN_QUEUE)}
       ), awaiting AS (
         INSERT INTO awaiting_reports (plugin_id, vendor_message_id, vendor_request_id, message_id, request_time,
                                       project_id, sent_at)
         SELECT DISTINCT ON (s.plugin_id, s.vendor_message_id)
                s.plugin_id, s.vendor_message_id, s.vendor_request_id, s.id, s.request_time, s.project_id, $1
           FROM sent s
          WHERE NOT EXISTS (SELECT 1 FROM awaiting_reports a
                             WHERE a.plugin_id = s.plugin_id AND a.vendor_message_id = s.vendor_message_id)
       )
       SELECT * FROM sent`;

/**
 * Where these messages (rows in IN_QUEUE) stand in the queue now: `leased` (a dispatcher holds them: shown
 * SENDING), `waiting` (QUEUED); a message with no queue row is not in the map (gone: the vendor took it, shown
 * SENT). One primary-key probe each.
 */
export async function queueStandings(
  db: Pick<EntityManager, 'query'>,
  messageIds: readonly string[],
  now: Date,
): Promise<Map<string, Exclude<QueueStanding, 'gone'>>> {
  const rows = (await db.query(
    `SELECT message_id, COALESCE(lease_until > $2, false) AS leased FROM message_queue
      WHERE message_id = ANY($1::uuid[])`,
    [messageIds, now],
  )) as { message_id: string; leased: boolean }[];
  return new Map(rows.map((r) => [r.message_id, r.leased ? 'leased' : 'waiting']));
}

/** One message's recorded result of a send attempt. */
export interface RecordedStep extends MessageKey {
  readonly step: NextStep;
  /** the plugin the attempt went to */
  readonly pluginId: string;
}

type SentStep = RecordedStep & { readonly step: Extract<NextStep, { kind: 'SENT' }> };

/**
 * The dispatch transitions of the message lifecycle (claim, outcomes, hand-back, expiry) over `message_queue`
 * (what is still to send), `awaiting_reports` (what the vendors have) and the message rows (updated in place). Every method is one statement over many rows (claims, outcomes, lease
 * recovery), so a batch of 500 costs a round trip or two, not 500.
 */
export class MessageQueue {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims up to `limit` due QUEUED rows (oldest due first) for `owner` until `leaseUntil`. Any number of
   * workers and processes claim without taking the same row twice: each claim waits for CLAIM_LOCK, so it
   * starts after the claim before it committed and walks past the rows that one leased (the statement's own
   * checks would keep a row from being leased twice without the lock, but a claimer that raced another over
   * the same head would come back with nothing). Rows whose current plugin is slowed down (rate limit) stay
   * queued.
   */
  async claim(
    owner: string,
    limit: number,
    now: Date,
    leaseUntil: Date,
    throttled: readonly string[],
  ): Promise<ClaimedMessage[]> {
    const list = await this.db.transaction(async (manager) => {
      await planWith(manager, ORDERED_CLAIM);
      // a statement of its own: the claim after it takes its snapshot once the lock is held (READ COMMITTED)
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [CLAIM_LOCK]);
      const { rows } = await sql<ClaimedRow>(manager, CLAIM_STATEMENT, [
        now,
        limit,
        owner,
        leaseUntil,
        throttled,
      ]);
      await countMessageTransitions(manager, rows, 'SENDING');
      return rows;
    });
    return list.map((r) => ({
      id: r.id,
      requestTime: r.request_time,
      projectId: r.project_id,
      requestId: r.request_id,
      toNumber: r.to_number,
      countryCode: r.country_code,
      fromNumber: r.from_number,
      type: r.type,
      contentType: r.content_type,
      subject: r.subject,
      content: r.content,
      parts: r.parts,
      fileIds: r.file_ids ?? [],
      route: r.route,
      routeIndex: r.route_index,
      attempts: r.attempts,
      pluginId: r.plugin_id,
      reservationId: r.reservation_id,
      recovered: r.recovered,
    }));
  }

  /**
   * Records many outcomes, one UPDATE per kind: vendor acceptances (nearly every outcome at volume) by a narrow
   * statement, and retries and failures by the general one. A failure or retry only lands while this worker
   * still holds the lease; a vendor acceptance lands even if the lease expired meanwhile (the vendor has the
   * message, and recording it keeps another worker from sending it again if that one has not claimed it yet).
   * One transaction: a refused write changes nothing and can be tried again whole.
   */
  async record(owner: string, steps: readonly RecordedStep[], now: Date): Promise<number> {
    const sent: SentStep[] = [];
    const others: RecordedStep[] = [];
    for (const s of steps) {
      if (s.step.kind === 'SENT') sent.push({ ...s, step: s.step });
      else others.push(s);
    }
    return this.db.transaction(async (manager) => {
      await planWith(manager, KEYED_UPDATE);
      let affected = 0;
      if (sent.length > 0) affected += await this.recordSent(manager, sent, now);
      if (others.length > 0) affected += await this.recordUnsent(manager, owner, others, now);
      return affected;
    });
  }

  private async recordSent(manager: EntityManager, steps: readonly SentStep[], now: Date): Promise<number> {
    const { rows } = await sql<MessageTransitionRow>(manager, RECORD_SENT_STATEMENT, [
      now,
      steps.map((s) => s.id),
      steps.map((s) => s.pluginId),
      steps.map((s) => s.step.vendorMessageId),
      steps.map((s) => s.step.vendorRequestId ?? null),
      steps.map((s) => s.requestTime),
    ]);
    await recordMessageTransitions(manager, rows, 'changed');
    return rows.length;
  }

  /**
   * Retries (back to the queue, visible at their due time, on the plugin of their route step) and failures (out
   * of the queue, final), only for rows this worker still leases.
   */
  private async recordUnsent(
    manager: EntityManager,
    owner: string,
    steps: readonly RecordedStep[],
    now: Date,
  ): Promise<number> {
    const ids: string[] = [];
    const requestTimes: string[] = [];
    const states: string[] = [];
    const routeIndexes: (number | null)[] = [];
    const attempts: (number | null)[] = [];
    const dues: (Date | null)[] = [];
    const plugins: string[] = [];
    const codes: string[] = [];
    const texts: string[] = [];
    for (const { id, requestTime, step, pluginId } of steps) {
      if (step.kind === 'SENT') continue;
      ids.push(id);
      requestTimes.push(requestTime);
      plugins.push(pluginId);
      states.push(step.kind === 'RETRY' ? 'QUEUED' : 'FAILED');
      routeIndexes.push(step.kind === 'RETRY' ? step.routeIndex : null);
      attempts.push(step.kind === 'RETRY' ? step.attempts : null);
      dues.push(step.kind === 'RETRY' ? step.dueAt : null);
      codes.push(step.code);
      texts.push(truncate(step.message));
    }
    const { rows } = await sql<MessageTransitionRow>(
      manager,
      `WITH v AS (
         SELECT * FROM unnest($3::uuid[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::text[],
                              $9::text[], $10::text[], $11::timestamptz[])
                AS v(id, state, route_index, attempts, due_at, plugin_id, code, text, request_time)
       ), held AS (
         SELECT q.message_id FROM message_queue q JOIN v ON q.message_id = v.id
          WHERE q.lease_owner = $1 FOR UPDATE OF q
       ), changed AS (
         UPDATE messages m SET
            ${toStateOf('v.state')},
            plugin_id = v.plugin_id,
            route_index = COALESCE(v.route_index, m.route_index),
            attempts = COALESCE(v.attempts, m.attempts),
            due_at = COALESCE(v.due_at, m.due_at),
            next_attempt_at = v.due_at,
            status_name = CASE WHEN v.state = 'FAILED' THEN 'fail' ELSE NULL END,
            status_code = v.code,
            status_message = v.text,
            complete_time = CASE WHEN v.state = 'FAILED' THEN $2::timestamptz ELSE NULL END,
            updated_at = $2
           FROM v JOIN held ON held.message_id = v.id
          WHERE m.id = v.id AND m.request_time = v.request_time AND m.state IN ${stateList(IN_QUEUE)}
         RETURNING ${transitionColumns('m')}, m.route[m.route_index + 1] AS next_plugin
       ), requeued AS (
         UPDATE message_queue q SET visible_at = c.due_at, lease_owner = NULL, lease_until = NULL,
                plugin_id = COALESCE(c.next_plugin, q.plugin_id)
           FROM changed c WHERE q.message_id = c.id AND c.state = 'QUEUED'
       ), failed AS (
         DELETE FROM message_queue q USING changed c WHERE q.message_id = c.id AND c.state = 'FAILED'
       )
       SELECT * FROM changed`,
      [owner, now, ids, states, routeIndexes, attempts, dues, plugins, codes, texts, requestTimes],
    );
    await recordMessageTransitions(manager, rows, 'changed');
    return rows.length;
  }

  /**
   * Hands claimed rows back untouched (graceful shutdown before their send started): unleased, claimable again.
   * The message rows were not written by the claim (a row a build from before that left SENDING goes back to
   * QUEUED); each row handed back is counted as a QUEUED transition, as before.
   */
  async release(owner: string, messages: readonly MessageKey[], now: Date): Promise<number> {
    if (messages.length === 0) return 0;
    const rows = await this.transition(
      KEYED_UPDATE,
      `WITH back AS (
         UPDATE message_queue q SET lease_owner = NULL, lease_until = NULL
           FROM unnest($3::uuid[]) AS v(id)
          WHERE q.message_id = v.id AND q.lease_owner = $1
         RETURNING q.message_id, q.request_time
       ), unclaimed AS (
         UPDATE messages m SET ${toState('QUEUED')}, updated_at = $2
           FROM back WHERE m.id = back.message_id AND m.request_time = back.request_time AND m.state = 'SENDING'
       )
       SELECT ${transitionColumns('m', { state: 'QUEUED', pluginId: 'm.plugin_id', updatedAt: '$2' })}
         FROM back JOIN messages m ON m.id = back.message_id AND m.request_time = back.request_time
        WHERE m.state IN ${stateList(IN_QUEUE)}`,
      [owner, now, messages.map((m) => m.id)],
    );
    return rows.length;
  }

  /**
   * Sent messages with no final report since `sentBefore` are closed as EXPIRED (fail): their awaiting rows go
   * and the message rows take the outcome in place, with the plugin, vendor id and send time the awaiting row held
   * (a row of an earlier build says SENT and has them already).
   */
  async expireUnreported(sentBefore: Date, now: Date, limit: number): Promise<number> {
    const rows = await this.transition(
      KEYED_UPDATE,
      `WITH stale AS (
         SELECT plugin_id, vendor_message_id FROM awaiting_reports WHERE sent_at < $1 LIMIT $3
            FOR UPDATE SKIP LOCKED
       ), gone AS (
         DELETE FROM awaiting_reports a USING stale s
          WHERE a.plugin_id = s.plugin_id AND a.vendor_message_id = s.vendor_message_id
         RETURNING a.message_id, a.request_time, a.plugin_id, a.vendor_message_id, a.sent_at
       ), expired AS (
         UPDATE messages m SET plugin_id = gone.plugin_id,
                vendor_message_id = COALESCE(m.vendor_message_id, gone.vendor_message_id),
                sent_at = COALESCE(m.sent_at, gone.sent_at), next_attempt_at = NULL,
                ${toState('EXPIRED')}, status_name = 'fail', status_code = 'EXPIRED',
                status_message = 'no delivery report in time', complete_time = $2, updated_at = $2
           FROM gone WHERE m.id = gone.message_id AND m.request_time = gone.request_time
                       AND m.state IN ${stateList(['SENT', ...IN_QUEUE])}
         RETURNING ${transitionColumns('m')}
       )
       SELECT * FROM expired`,
      [sentBefore, now, limit],
    );
    return rows.length;
  }

  /**
   * One lifecycle statement (whose rows are the messages it moved, as transitionColumns) planned under
   * `settings`, with its metric counts and webhook events, in one transaction.
   */
  private transition<T extends MessageTransitionRow>(
    settings: PlannerSettings,
    statement: string,
    params: unknown[],
  ): Promise<T[]> {
    return this.db.transaction(async (manager) => {
      await planWith(manager, settings);
      const { rows } = await sql<T>(manager, statement, params);
      await recordMessageTransitions(manager, rows, 'changed');
      return rows;
    });
  }
}

const MAX_STATUS_MESSAGE = 500;
const truncate = (text: string): string =>
  text.length > MAX_STATUS_MESSAGE ? `${text.slice(0, MAX_STATUS_MESSAGE - 1)}…` : text;
