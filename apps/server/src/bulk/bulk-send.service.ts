import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ReviewResult } from '@munja/compliance';
import { DataSource, type QueryRunner } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { sql } from '../dispatch/sql';
import {
  insertAcceptedMessages,
  recordAcceptedMessages,
  tallyAccepted,
} from '../lifecycle/accepted-messages';
import {
  recordReservationTransitions,
  RESERVATION_TRANSITION_COLUMNS,
  type ReservationTransitionRow,
} from '../lifecycle/transition-events';
import { MetricTally } from '../metrics/metric-counts';
import { ROWS_PER_STATEMENT } from '../messages/bulk-insert';
import { ON_IDEMPOTENCY_KEY_CONFLICT, requestFingerprint } from '../messages/idempotency';
import { timeOrderedId } from '../messages/message-id';
import { MessagesService, type SendBasis } from '../messages/messages.service';
import { messageRows } from '../messages/send-plan';
import type { BulkRequestDto } from './bulk-request';
import { readRecipientCsv, type CsvRecipient, type CsvRow } from './recipient-csv';

/** Data rows one bulk send may carry. */
export const MAX_BULK_RECIPIENTS = 100_000;
/** Largest recipients file (it streams; 100,000 rows with long per-row contents fit). */
export const BULK_FILE_LIMIT = 256 * 1024 * 1024;
/** Rejected rows the answer lists (all are counted). */
export const MAX_LISTED_REJECTED_ROWS = 1_000;
/**
 * Characters of cell text a chunk may gather before it is planned and inserted, besides ROWS_PER_STATEMENT rows:
 * a chunk is held several times over (its cells, the planned rows, the statement's parameters and their wire
 * buffer) and two are in flight, so 5,000 rows personalised at the LMS limit (10 MB of text) took the largest
 * upload to +102 MB (`pnpm bench --bulk-memory`). Short rows still go 5,000 at a time.
 */
const CHUNK_TEXT_CHARS = 1_000_000;
/**
 * Rows of the first chunk; each next one twice as many, up to ROWS_PER_STATEMENT. PostgreSQL's INSERTs are a bulk
 * upload's critical path, and they wait for the first chunk to be read and planned: 5,000 rows in a freshly
 * started service took 200–300 ms before the first INSERT (PostgreSQL idle, /proc samples every 100 ms). With
 * the sizes doubling, each chunk is planned in about the time the one before takes to insert.
 */
const FIRST_CHUNK_ROWS = 500;

/** A refused row of the CSV, by the physical line it starts on. */
export interface RejectedRow {
  line: number;
  to: string;
  code: string;
  field: string;
  message: string;
}

/** The 202 answer of a bulk send (stored, and replayed for the same Idempotency-Key). */
export interface BulkAnswer {
  requestId: string;
  requestTime: string;
  reservationId: string | null;
  sendTime: string;
  /** an AD send moved out of the night window to 08:00 */
  deferred: boolean;
  /** recipients stored to be sent */
  accepted: number;
  /** rows refused: by the rules or the law (stored as failed messages) or unreadable (not stored) */
  rejected: number;
  /** the first MAX_LISTED_REJECTED_ROWS of them, in file order */
  rejectedRows: RejectedRow[];
  rejectedRowsTruncated: boolean;
}

/** Thrown inside the transaction when a concurrent request with the same key won the insert. */
class IdempotencyRace extends Error {}

/** `messages[12].content` → `content`: a CSV row names its column, not a position in a JSON array. */
function columnOf(text: string): string {
  return text.replace(/messages\[\d+\]\./g, '');
}

/** What one bulk send has stored so far (inside its transaction). */
class BulkTally {
  accepted = 0;
  rejected = 0;
  stored = 0;
  readonly rejectedRows: RejectedRow[] = [];
  sendTime: string | null = null;
  deferred = false;

  reject(row: RejectedRow): void {
    this.rejected++;
    if (this.rejectedRows.length < MAX_LISTED_REJECTED_ROWS) this.rejectedRows.push(row);
  }
}

/**
 * Bulk sends by CSV: the file streams through the CSV reader in chunks of ROWS_PER_STATEMENT rows (the first
 * FIRST_CHUNK_ROWS, doubling; fewer once they hold CHUNK_TEXT_CHARS of text); each chunk is reviewed by the send path's own planning (rules, compliance,
 * one 080 block-list query per chunk) and inserted with one `unnest` INSERT while the next chunk is read and
 * planned. The request, its reservation and
 * every row go in one transaction, so a refused request (too many rows, a request-level refusal) stores nothing.
 */
@Injectable()
export class BulkSendService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sending: MessagesService,
  ) {}

  async send(
    projectId: string,
    request: { fields: BulkRequestDto; raw: unknown },
    file: Readable,
    idempotencyKey: string | undefined,
  ): Promise<{ answer: BulkAnswer; replayed: boolean }> {
    const now = this.clock.now();
    const digest = createHash('sha256');
    // The file as it streams, hashed on the way (an Idempotency-Key binds the request and the file's bytes).
    const recipients = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        done(null, chunk);
      },
    });
    // An upload error (cut off) destroys `recipients`, and the CSV reader fails with it.
    pipeline(file, recipients).catch(() => undefined);
    // Past the size limit busboy truncates the file and ends it normally: the send must not commit then.
    let truncated = false;
    file.once('limit', () => (truncated = true));
    const complete = (): void => {
      if (truncated) {
        throw ApiError.badRequest(
          'FILE_TOO_LARGE',
          `The recipients file is larger than ${BULK_FILE_LIMIT / 1024 / 1024} MB; nothing was stored`,
          'recipients',
        );
      }
    };
    const fingerprint = (): string =>
      requestFingerprint({ request: request.raw, recipientsSha256: digest.copy().digest('hex') });

    try {
      if (idempotencyKey !== undefined) {
        const replayed = await this.replayAfterReading(projectId, idempotencyKey, recipients, fingerprint);
        if (replayed) return { answer: replayed, replayed: true };
      }
      const basis = await this.sending.prepare(projectId, request.fields, now);
      // A probe recipient with its own content: refuses a bad sender, AD without its 080 service, the night
      // window... before the file is read (the request's content is checked once a row uses it).
      await this.sending.review(projectId, basis, request.fields, [{ to: '01000000000', content: '.' }]);
      const answer = await this.store(
        projectId,
        request.fields,
        basis,
        recipients,
        idempotencyKey,
        fingerprint,
        complete,
      );
      if (!basis.reservation) await this.sending.wakeDispatcher();
      return { answer, replayed: false };
    } catch (error) {
      await drain(recipients);
      if (!(error instanceof IdempotencyRace)) throw error;
      // Another request with the same key committed first: answer as it did (or 409 for another body).
      const earlier = await this.sending.replay(projectId, idempotencyKey!, fingerprint());
      if (!earlier) throw error;
      return { answer: earlier as unknown as BulkAnswer, replayed: true };
    }
  }

  /** The first answer for a key already used (the file is read to compare it), or null for a new key. */
  private async replayAfterReading(
    projectId: string,
    key: string,
    file: Readable,
    fingerprint: () => string,
  ): Promise<BulkAnswer | null> {
    const known: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM send_requests WHERE project_id = $1 AND idempotency_key = $2`,
      [projectId, key],
    );
    if (known.length === 0) return null;
    await drain(file);
    return (await this.sending.replay(projectId, key, fingerprint())) as unknown as BulkAnswer | null;
  }

  private async store(
    projectId: string,
    fields: BulkRequestDto,
    basis: SendBasis,
    file: Readable,
    key: string | undefined,
    fingerprint: () => string,
    complete: () => void,
  ): Promise<BulkAnswer> {
    const requestId = timeOrderedId(basis.now);
    const reservationId = basis.reservation ? timeOrderedId(basis.now) : null;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const inserted: unknown[] = await runner.query(
        `INSERT INTO send_requests (id, project_id, request_time, content_type, requested_type, country_code,
           from_number, subject, content, file_ids, reserve_time, reserve_time_zone, reservation_id,
           idempotency_key, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid[], $11, $12, $13, $14, 'bulk')
         ${ON_IDEMPOTENCY_KEY_CONFLICT}
         RETURNING id`,
        [
          requestId,
          projectId,
          basis.now,
          basis.contentType,
          fields.type ?? null,
          basis.countryCode,
          fields.from,
          fields.subject ?? null,
          fields.content,
          basis.fileIds,
          basis.reservation?.instant ?? null,
          basis.reservation?.zone ?? null,
          reservationId,
          key ?? null,
        ],
      );
      if (inserted.length === 0) throw new IdempotencyRace();

      const counts = new MetricTally();
      const tally = await this.storeRows(
        runner,
        projectId,
        requestId,
        reservationId,
        fields,
        basis,
        file,
        counts,
      );
      complete();
      if (tally.accepted + tally.rejected === 0) {
        throw ApiError.unprocessable('NO_RECIPIENTS', 'The recipients file has no data rows', 'recipients');
      }
      const sendTime = tally.sendTime ?? basis.reservation?.instant.toISOString() ?? basis.now.toISOString();
      if (basis.reservation) {
        const { rows: reserved } = await sql<ReservationTransitionRow>(
          runner.manager,
          `INSERT INTO reservations (id, project_id, request_id, send_at, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'READY', $5, $5) RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
          [reservationId, projectId, requestId, new Date(sendTime), basis.now],
        );
        await recordReservationTransitions(runner.manager, reserved);
      }
      await recordAcceptedMessages(runner.manager, counts, [
        { projectId, requestId, requestTime: basis.now },
      ]);
      const answer: BulkAnswer = {
        requestId,
        requestTime: basis.now.toISOString(),
        reservationId,
        sendTime,
        deferred: tally.deferred,
        accepted: tally.accepted,
        rejected: tally.rejected,
        rejectedRows: tally.rejectedRows,
        rejectedRowsTruncated: tally.rejected > tally.rejectedRows.length,
      };
      await runner.query(
        `UPDATE send_requests SET response = $2::jsonb, idempotency_fingerprint = $3, accepted_count = $4,
           rejected_count = $5 WHERE id = $1`,
        [
          requestId,
          JSON.stringify(answer),
          key === undefined ? null : fingerprint(),
          tally.accepted,
          tally.rejected,
        ],
      );
      await runner.commitTransaction();
      return answer;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Reads the file chunk by chunk; each chunk is planned while the previous one is being inserted (one INSERT
   * in flight on the transaction's connection at a time), so at most two chunks are ever held.
   */
  private async storeRows(
    runner: QueryRunner,
    projectId: string,
    requestId: string,
    reservationId: string | null,
    fields: BulkRequestDto,
    basis: SendBasis,
    file: Readable,
    counts: MetricTally,
  ): Promise<BulkTally> {
    const tally = new BulkTally();
    let inserting: Promise<void> = Promise.resolve();
    let chunk: CsvRow[] = [];
    let chunkChars = 0;
    let chunkRows = Math.min(FIRST_CHUNK_ROWS, ROWS_PER_STATEMENT);
    let rows = 0;
    const flush = async (): Promise<void> => {
      const recipients = chunk.filter((row): row is CsvRecipient => row.kind === 'recipient');
      const review =
        recipients.length > 0
          ? await this.sending.review(projectId, basis, fields, recipients, runner.manager)
          : null;
      this.count(tally, chunk, recipients, review);
      const messages = review
        ? messageRows({
            projectId,
            requestId,
            requestTime: basis.now,
            review,
            request: {
              type: fields.type,
              subject: fields.subject,
              content: fields.content,
              messages: recipients,
            },
            fileIds: basis.fileIds,
            reservationId,
            routeOf: basis.routeOf,
            firstIndex: tally.stored,
          })
        : [];
      tally.stored += recipients.length;
      chunk = [];
      chunkChars = 0;
      chunkRows = Math.min(chunkRows * 2, ROWS_PER_STATEMENT);
      await inserting;
      tallyAccepted(counts, messages);
      inserting = insertAcceptedMessages(runner.manager, messages);
      // Awaited before the next INSERT or at the end; marked handled meanwhile.
      inserting.catch(() => undefined);
    };

    for await (const row of readRecipientCsv(file)) {
      if (++rows > MAX_BULK_RECIPIENTS) {
        await inserting.catch(() => undefined);
        throw ApiError.unprocessable(
          'TOO_MANY_RECIPIENTS',
          `A bulk send takes at most ${MAX_BULK_RECIPIENTS.toLocaleString('en')} recipients; nothing was stored`,
          'recipients',
        );
      }
      chunk.push(row);
      chunkChars += row.kind === 'recipient' ? cellChars(row) : row.to.length;
      if (chunk.length >= chunkRows || chunkChars >= CHUNK_TEXT_CHARS) await flush();
    }
    if (chunk.length > 0) await flush();
    await inserting;
    return tally;
  }

  /** Adds a chunk's outcome to the tally: rejected rows in file order, with their lines. */
  private count(
    tally: BulkTally,
    chunk: readonly CsvRow[],
    recipients: readonly CsvRecipient[],
    review: ReviewResult | null,
  ): void {
    if (review) {
      tally.accepted += review.summary.planned;
      tally.sendTime ??= review.sendAt;
      tally.deferred = review.deferred;
    }
    let next = 0;
    for (const row of chunk) {
      if (row.kind === 'malformed') {
        tally.reject({ line: row.line, to: row.to, code: row.code, field: row.field, message: row.message });
        continue;
      }
      const outcome = review!.recipients[next++]!;
      if (outcome.outcome === 'REJECTED') {
        tally.reject({
          line: row.line,
          to: row.to,
          code: outcome.code,
          field: columnOf(outcome.field),
          message: `line ${row.line}: ${columnOf(outcome.message)}`,
        });
      }
    }
  }
}

/** The text a recipient row carries: what its chunk holds several times over until it is inserted. */
function cellChars(row: CsvRecipient): number {
  return row.to.length + (row.subject?.length ?? 0) + (row.content?.length ?? 0);
}

/** Reads what is left of an upload, so the answer never races the client still sending its file. */
async function drain(file: Readable): Promise<void> {
  if (file.readableEnded || file.destroyed) return;
  file.unpipe();
  file.resume();
  try {
    await finished(file);
  } catch {
    // a broken upload: nothing left to read
  }
}
