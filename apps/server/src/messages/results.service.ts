import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { FileRow } from '../files/file.entity';
import { decodeCursor, encodeCursor } from '../common/page-cursor';
import { MessageRow } from './message.entity';
import { requestTimeRangeOf } from './message-id';
import {
  MessageHistoryQuery,
  MessagePage,
  MessageView,
  RequestMessagesQuery,
  SendRequestView,
} from './results.dto';
import { messageStanding, type ViewTime } from './message-standing';
import { SendRequestRow } from './send-request.entity';
import { IN_QUEUE, shownState, stateList, STATUS_OF_STATE } from '../lifecycle/message-states';
import { queueStandings } from '../lifecycle/message-queue';

/**
 * The messages of project :projectId not yet COMPLETED, as (id, request_time): queued or being sent, sent and
 * awaiting a report, or reserved (a READY reservation's messages).
 */
const OPEN_MESSAGES = `SELECT q.message_id, q.request_time FROM message_queue q WHERE q.project_id = :projectId
   UNION ALL
   SELECT a.message_id, a.request_time FROM awaiting_reports a WHERE a.project_id = :projectId
   UNION ALL
   SELECT o.id, o.request_time FROM reservations r JOIN messages o ON o.reservation_id = r.id
    WHERE r.project_id = :projectId AND r.status IN ('READY', 'PROCESSING') AND o.state = 'RESERVED'`;

/** The message `m` waits in the queue, not held by a dispatcher: its queue row is there and not leased past :now. */
const WAITING = `EXISTS (SELECT 1 FROM message_queue l WHERE l.message_id = m.id
                   AND (l.lease_until IS NULL OR l.lease_until <= :now))`;

/**
 * The open messages each status shows (see `shownState`), given they are open (OPEN_MESSAGES): a row in the
 * queue's states is READY while its queue row waits, PROCESSING while it is leased or once it is gone (sent).
 */
const SHOWN_AS: Record<'READY' | 'PROCESSING', string> = {
  READY: `(m.state = 'RESERVED' OR (m.state IN ${stateList(IN_QUEUE)} AND ${WAITING}))`,
  PROCESSING: `(m.state = 'SENT' OR (m.state IN ${stateList(IN_QUEUE)} AND NOT ${WAITING}))`,
};

/** SENS keeps history 30 days; searches reach no further back. */
export const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 100;

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const digits = (text: string): string => text.replace(/\D/g, '');

/** The columns a message's view is made of, field name → column (the history selects only these). */
const VIEW_COLUMNS = {
  id: 'id',
  requestId: 'request_id',
  requestTime: 'request_time',
  type: 'type',
  contentType: 'content_type',
  countryCode: 'country_code',
  fromNumber: 'from_number',
  toNumber: 'to_number',
  subject: 'subject',
  content: 'content',
  status: 'status',
  state: 'state',
  statusName: 'status_name',
  statusCode: 'status_code',
  statusMessage: 'status_message',
  telcoCode: 'telco_code',
  completeTime: 'complete_time',
  dueAt: 'due_at',
  bytes: 'bytes',
  parts: 'parts',
  encoding: 'encoding',
  reservationId: 'reservation_id',
  fileIds: 'file_ids',
} as const satisfies Partial<Record<keyof MessageRow, string>>;

export type MessageViewRow = Omit<
  Pick<MessageRow, keyof typeof VIEW_COLUMNS>,
  'requestTime' | 'completeTime' | 'dueAt'
> & { requestTime: ViewTime; completeTime: ViewTime | null; dueAt: ViewTime };

/**
 * A time column as the API shows it, formatted by PostgreSQL (in UTC, milliseconds, as `Date.toISOString`
 * gives it; both drop microseconds). node-postgres parses a timestamptz with a regular expression into a Date that
 * the view then formats back: for the three times of each row of a 1,000-item page that was about half of the
 * driver's time reading it (a query of 1,001 rows: 8–46 ms parsed against 5–20 ms as text, on the busy 2 cores).
 */
const ISO_TIME = (column: string): string =>
  `to_char(m.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TIME_COLUMNS: ReadonlySet<string> = new Set(['request_time', 'complete_time', 'due_at']);

/** What `asShown` reads and may change of a row. */
type ShownRow = Pick<
  MessageViewRow,
  | 'id'
  | 'requestTime'
  | 'state'
  | 'status'
  | 'statusName'
  | 'statusCode'
  | 'statusMessage'
  | 'telcoCode'
  | 'completeTime'
>;

export function messageView(row: MessageViewRow, fileNames: ReadonlyMap<string, string>): MessageView {
  // The standing's object with the text and files added, not `{ ...standing, … }`: copying a spread of two dozen
  // fields per row was the largest self time of a 1,000-item history page (~7 µs a row, and its garbage).
  const view = messageStanding(row) as MessageView;
  view.subject = row.subject;
  view.content = row.content;
  view.bytes = row.bytes;
  view.parts = row.parts ?? 1;
  view.encoding = row.encoding;
  view.files =
    row.fileIds.length === 0
      ? []
      : row.fileIds.map((fileId) => ({ fileId, name: fileNames.get(fileId) ?? '' }));
  return view;
}

/** Results and history: every query is scoped by the calling project, so another project's id is a 404. */
@Injectable()
export class ResultsService {
  constructor(
    @InjectRepository(MessageRow) private readonly messages: Repository<MessageRow>,
    @InjectRepository(SendRequestRow) private readonly requests: Repository<SendRequestRow>,
    @InjectRepository(FileRow) private readonly files: Repository<FileRow>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async message(projectId: string, messageId: string): Promise<MessageView> {
    const row = await this.messageQuery(projectId, messageId).getOne();
    if (!row) throw ApiError.notFound('Message', 'messageId');
    const [shown] = await this.asShown([row]);
    return messageView(shown!, await this.fileNames(projectId, [row]));
  }

  async request(projectId: string, requestId: string, query: RequestMessagesQuery): Promise<SendRequestView> {
    const request = await this.requests.findOne({ where: { projectId, id: requestId } });
    if (!request) throw ApiError.notFound('Request', 'requestId');
    const page = query.page ?? 1;
    const size = query.size ?? DEFAULT_LIMIT;
    const [rows, total] = await this.messages.findAndCount({
      where: { projectId, requestId },
      order: { recipientIndex: 'ASC' },
      skip: (page - 1) * size,
      take: size,
    });
    const names = await this.fileNames(projectId, rows);
    const shown = await this.asShown(rows);
    const answer = request.response as { statusName?: string } | null;
    return {
      requestId: request.id,
      requestTime: request.requestTime.toISOString(),
      statusCode: '202',
      statusName: answer?.statusName ?? (request.reservationId ? 'reserved' : 'success'),
      type: request.requestedType,
      contentType: request.contentType ?? 'COMM',
      countryCode: request.countryCode ?? '82',
      from: request.fromNumber ?? '',
      subject: request.subject,
      content: request.content ?? '',
      reservationId: request.reservationId,
      reserveTime: iso(request.reserveTime),
      reserveTimeZone: request.reserveTimeZone,
      acceptedCount: request.acceptedCount ?? 0,
      rejectedCount: request.rejectedCount ?? 0,
      messages: shown.map((row) => messageView(row, names)),
      page,
      size,
      total,
    };
  }

  /**
   * One message by id: a UUIDv7 id carries its request time, so the statement reads the one day partition it is
   * in; an older (v4) id is looked up in every partition's primary key.
   */
  messageQuery(projectId: string, messageId: string): SelectQueryBuilder<MessageRow> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.id = :messageId AND m.project_id = :projectId', { messageId, projectId });
    const range = requestTimeRangeOf(messageId);
    if (range) qb.andWhere('m.request_time >= :from AND m.request_time < :to', range);
    return qb;
  }

  /**
   * History newest first, by request time within the last 30 days, with keyset pagination over
   * (request_time, id) — the shape of the messages_history index, so a page costs the same at any depth.
   */
  async history(projectId: string, query: MessageHistoryQuery): Promise<MessagePage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // Raw rows of the view's columns only: a 1,000-item page spent more time in TypeORM's entity hydration and in
    // parsing the dispatch columns nobody reads here than in PostgreSQL (bench: history_search_p99).
    const rows = await this.historyQuery(projectId, query).getRawMany<MessageViewRow>();
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const last = items[items.length - 1];
    const names = await this.fileNames(projectId, items);
    const shown = await this.asShown(items);
    return {
      items: shown.map((row) => messageView(row, names)),
      nextCursor: more && last ? encodeCursor({ time: new Date(last.requestTime), id: last.id }) : null,
    };
  }

  /**
   * The history search as one statement: the time range prunes the day partitions outside it, and each
   * filter has an index ordered like the page (see the message-partitions migration; test/history-explain).
   */
  historyQuery(projectId: string, query: MessageHistoryQuery): SelectQueryBuilder<MessageRow> {
    const now = this.clock.now();
    const earliest = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
    const requestedFrom = query.requestTimeFrom ? new Date(query.requestTimeFrom) : earliest;
    const from = requestedFrom < earliest ? earliest : requestedFrom;
    const to = query.requestTimeTo ? new Date(query.requestTimeTo) : new Date(now.getTime() + 1);
    if (from >= to) {
      throw ApiError.badRequest(
        'INVALID_TIME_RANGE',
        `requestTimeFrom (${from.toISOString()}) must be before requestTimeTo (${to.toISOString()})`,
        'requestTimeFrom',
      );
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const qb = this.messages
      .createQueryBuilder('m')
      .select(
        Object.entries(VIEW_COLUMNS).map(
          ([field, column]) => `${TIME_COLUMNS.has(column) ? ISO_TIME(column) : `m.${column}`} AS "${field}"`,
        ),
      )
      .where('m.project_id = :projectId', { projectId })
      .andWhere('m.request_time >= :from AND m.request_time < :to', { from, to });
    if (query.type) qb.andWhere('m.type = :type', { type: query.type });
    if (query.status === 'COMPLETED') qb.andWhere(`m.status = 'COMPLETED'`);
    // READY and PROCESSING messages are few and all listed by the lifecycle's small tables (queued or leased,
    // awaiting a report, reserved): the page is read through them and the messages' primary key, one partition
    // per row, instead of every row of the range. Which of the two a queued message shows is its queue row.
    else if (query.status)
      qb.andWhere(`(m.id, m.request_time) IN (${OPEN_MESSAGES}) AND ${SHOWN_AS[query.status]}`, { now });
    if (query.from) qb.andWhere('m.from_number = :fromNumber', { fromNumber: digits(query.from) });
    if (query.to) qb.andWhere('m.to_number = :toNumber', { toNumber: digits(query.to) });
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      // The plain bound lets the planner skip the newer days' partitions (it prunes on no row comparison).
      qb.andWhere('m.request_time <= :cursorTime::timestamptz', { cursorTime: cursor.time });
      qb.andWhere('(m.request_time, m.id) < (:cursorTime::timestamptz, :cursorId::uuid)', {
        cursorTime: cursor.time,
        cursorId: cursor.id,
      });
    }
    return qb
      .orderBy('m.request_time', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit + 1);
  }

  /**
   * The rows as the API shows them: a message row in the queue's states (QUEUED, or SENDING as a build from before
   * the claim stopped writing it may have left it) is SENDING (PROCESSING) while its queue row is leased, QUEUED
   * (READY) while it waits, and SENT (PROCESSING, no outcome fields: a retry's code is not shown) once it is gone:
   * the vendor took it (`shownState`). One look-up of the page's queued rows, none for a page without any.
   */
  async asShown<T extends ShownRow>(rows: readonly T[]): Promise<T[]> {
    const queued = rows.filter((row) => IN_QUEUE.includes(row.state));
    if (queued.length === 0) return [...rows];
    const standings = await queueStandings(
      this.messages.manager,
      queued.map((row) => row.id),
      this.clock.now(),
    );
    // A row read in the queue's states whose queue row is gone now was either sent or closed meanwhile (failed,
    // or a report by our ref): read again after the queue, it says which (a queue row never comes back).
    const gone = queued.filter((row) => !standings.has(row.id));
    const now = gone.length === 0 ? new Map<string, ShownRow>() : await this.standingsOf(gone);
    return rows.map((row) => {
      if (!IN_QUEUE.includes(row.state)) return row;
      const standing = standings.get(row.id);
      const current = now.get(row.id);
      if (standing === undefined && current !== undefined && !IN_QUEUE.includes(current.state))
        return { ...row, ...current };
      const state = shownState(row.state, standing ?? 'gone');
      const shown = { ...row, state, status: STATUS_OF_STATE[state] };
      if (state === 'SENT') {
        shown.statusName = null;
        shown.statusCode = null;
        shown.statusMessage = null;
        shown.completeTime = null;
      }
      return shown;
    });
  }

  /** The standing columns of these messages as they are now, by key. */
  private async standingsOf(rows: readonly ShownRow[]): Promise<Map<string, ShownRow>> {
    const now = (await this.messages.manager.query(
      `SELECT m.id, m.state, m.status, m.status_name AS "statusName", m.status_code AS "statusCode",
              m.status_message AS "statusMessage", m.telco_code AS "telcoCode", m.complete_time AS "completeTime"
         FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, request_time)
         -- a Date holds milliseconds: the stored time is within the millisecond after it
         JOIN messages m ON m.id = v.id AND m.request_time >= v.request_time
                        AND m.request_time < v.request_time + interval '1 millisecond'`,
      [rows.map((row) => row.id), rows.map((row) => row.requestTime)],
    )) as ShownRow[];
    return new Map(now.map((row) => [row.id, row]));
  }

  /** The names of the files the rows carry, in one query. */
  private async fileNames(projectId: string, rows: readonly MessageViewRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.flatMap((row) => row.fileIds))];
    if (ids.length === 0) return new Map();
    const files = await this.files
      .createQueryBuilder('f')
      .select(['f.id', 'f.name'])
      .where('f.project_id = :projectId AND f.id = ANY(:ids::uuid[])', { projectId, ids })
      .getMany();
    return new Map(files.map((file) => [file.id, file.name]));
  }
}
