import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { reviewRequest, type ReviewContext, type ReviewResult } from '@munja/compliance';
import { normalizeKoreanNumber, resolveCallingCode, RuleError } from '@munja/rules';
import { resolveReserveTime, SchedulingError, type ResolvedReserveTime } from '@munja/scheduling';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiKeyCache } from '../auth/api-key-cache';
import { CallingNumbersService } from '../calling-numbers/calling-numbers.service';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { Environment } from '../config/environment';
import { DISPATCH_CHANNEL, DispatchSignal } from '../dispatch/dispatch-signal';
import { FilesService } from '../files/files.service';
import { OptOutService080 } from '../opt-out/opt-out.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { attachToSchedule, type ScheduleAttachAnswer } from '../schedules/template-attach';
import { idempotencyKeyReused, requestFingerprint } from './idempotency';
import { timeOrderedId } from './message-id';
import type { MessageType } from './message.entity';
import { dryRunView, DryRunView } from './plan-view';
import { refusal, schedulingRefusal } from './refusal';
import { messageRows, rejectedViews, RejectedView } from './send-plan';
import { preparedQuery } from './prepared-statements';
import { SendWriter, type StoredSend } from './send-writer';
import { RecipientDto, SendMessageDto } from './send-message.dto';

const DOMESTIC = '82';

/** The 202 answer of an accepted send (stored, and replayed for the same Idempotency-Key). */
export interface SendAnswer {
  requestId: string;
  requestTime: string;
  statusCode: '202';
  /** `reserved` when the send waits for its reservation */
  statusName: 'success' | 'reserved';
  reservationId: string | null;
  /** when the messages go (the reservation, now, or 08:00 when an AD send was deferred out of the night) */
  sendTime: string;
  deferred: boolean;
  /** recipients stored to be sent */
  accepted: number;
  /** recipients refused by the rules or the law (BLOCKED included); stored as failed messages */
  rejected: RejectedView[];
}

export type SendOutcome =
  | { kind: 'accepted'; answer: SendAnswer; replayed: boolean }
  | { kind: 'dryRun'; plan: DryRunView }
  | { kind: 'attached'; answer: ScheduleAttachAnswer; dryRun: boolean };

interface Plan {
  review: ReviewResult;
  reservation: ResolvedReserveTime | null;
  fileIds: string[];
  routeOf: (type: MessageType) => string[];
}

/** The common fields of a send: everything but its recipients. */
export type SendFields = Omit<SendMessageDto, 'messages'>;

/** What `prepare` resolves once per send; `review` plans recipient lists against it. */
export interface SendBasis {
  readonly now: Date;
  readonly contentType: 'COMM' | 'AD';
  readonly countryCode: string;
  readonly reservation: ResolvedReserveTime | null;
  readonly fileIds: string[];
  /** the ordered plugins for a planned type (throws NO_ROUTE) */
  readonly routeOf: (type: MessageType) => string[];
  /** the review's context, all but the block list (looked up per recipient list) */
  readonly context: Omit<ReviewContext, 'blockList'>;
}

/** Options of a send: the key it came with, the raw body (fingerprinted for Idempotency-Key), dry run. */
export interface SendOptions {
  rawBody: unknown;
  dryRun: boolean;
  idempotencyKey?: string;
  /** the API key the send came with (the store re-checks it is not revoked) */
  apiKeyId: string;
}

/**
 * The send path: check and plan the request with @munja/rules and @munja/compliance (through reviewRequest), then
 * store the request, one message row per recipient and the reservation in one transaction.
 */
@Injectable()
export class MessagesService {
  private readonly logger = new Logger('Messages');
  private readonly policy: { nightWindow: 'reject' | 'defer'; adLabel: 'insert' | 'strict' };
  private readonly writer: SendWriter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly callingNumbers: CallingNumbersService,
    private readonly optOut: OptOutService080,
    private readonly files: FilesService,
    private readonly plugins: PluginRegistry,
    private readonly keys: ApiKeyCache,
    config: ConfigService<Environment, true>,
    // Absent only in an app built without the dispatch module.
    @Optional() private readonly dispatchSignal?: DispatchSignal,
  ) {
    this.policy = {
      nightWindow: config.get('MUNJA_AD_NIGHT_POLICY', { infer: true }),
      adLabel: config.get('MUNJA_AD_LABEL', { infer: true }),
    };
    this.writer = new SendWriter(
      dataSource,
      () => this.dispatchSignal?.wake(),
      // an unset DATABASE_URL is the embedded PGlite (database-location.ts)
      preparedQuery(dataSource, { embedded: !config.get('DATABASE_URL', { infer: true }) }),
    );
  }

  async send(projectId: string, body: SendMessageDto, options: SendOptions): Promise<SendOutcome> {
    const now = this.clock.now();
    if (body.scheduleCode !== undefined) {
      // Stored as a template of the schedule rather than sent (checked now, re-checked at each occurrence).
      const scheduled = { ...body, scheduleCode: body.scheduleCode };
      const answer = await attachToSchedule(this, this.dataSource, projectId, scheduled, { now, ...options });
      return { kind: 'attached', answer, dryRun: options.dryRun };
    }
    if (options.dryRun) {
      const plan = await this.plan(projectId, body, now, false);
      return { kind: 'dryRun', plan: dryRunView(plan.review, now, plan.reservation, plan.routeOf) };
    }
    const key = options.idempotencyKey;
    const fingerprint = key === undefined ? null : requestFingerprint(options.rawBody);
    if (key !== undefined) {
      const earlier = await this.replay(projectId, key, fingerprint!);
      if (earlier) return { kind: 'accepted', answer: earlier, replayed: true };
    }
    // First against the cached key and calling numbers; the store re-checks both. If it refused, find out why
    // with fresh reads (each throws its own 4xx) and try once more on a fresh plan.
    for (const reuse of [true, false]) {
      const plan = await this.plan(projectId, body, now, reuse);
      const { answer, send } = this.stored(
        projectId,
        body,
        plan,
        now,
        key ?? null,
        fingerprint,
        options.apiKeyId,
      );
      if (await this.writer.write(send)) return { kind: 'accepted', answer, replayed: false };
      this.callingNumbers.forgetSenders(projectId);
      if (key !== undefined) {
        // Another request with the same key committed first: answer as it did (or 409 for another body).
        const earlier = await this.replay(projectId, key, fingerprint!);
        if (earlier) return { kind: 'accepted', answer: earlier, replayed: true };
      }
      await this.assertKeyActive(options.apiKeyId);
    }
    throw new ApiError(
      409,
      'CONCURRENT_CHANGE',
      "The project's calling numbers or API keys changed while the send was being stored; send it again",
      'from',
    );
  }

  /** 401 when the key was revoked since the guard let the request in (its cached lookup is then dropped). */
  private async assertKeyActive(apiKeyId: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL`,
      [apiKeyId],
    );
    if (rows.length > 0) return;
    this.keys.revoked();
    throw new ApiError(401, 'INVALID_API_KEY', 'The API key is unknown or revoked', 'Authorization');
  }

  /** The first answer for this key, or null when the key is new; 409 when it came with another body. */
  async replay(projectId: string, key: string, fingerprint: string): Promise<SendAnswer | null> {
    const rows: { idempotency_fingerprint: string | null; response: SendAnswer | null }[] =
      await this.dataSource.query(
        `SELECT idempotency_fingerprint, response FROM send_requests WHERE project_id = $1 AND idempotency_key = $2`,
        [projectId, key],
      );
    const row = rows[0];
    if (!row) return null;
    if (row.idempotency_fingerprint !== fingerprint || !row.response) throw idempotencyKeyReused();
    return row.response;
  }

  /**
   * Everything up to the decision: checks, rules and law, routes. Reads only. `reuseSenders`: the calling
   * numbers may come from the last MUNJA_AUTH_CACHE_MS (only when the store re-checks them).
   */
  private async plan(
    projectId: string,
    body: SendMessageDto,
    now: Date,
    reuseSenders: boolean,
  ): Promise<Plan> {
    const basis = await this.prepare(projectId, body, now, { reuseSenders });
    const review = await this.review(projectId, basis, body, body.messages);
    if (review.summary.planned === 0) {
      const first = review.recipients[0];
      const reason = first && first.outcome === 'REJECTED' ? first : undefined;
      if (!reason) throw ApiError.badRequest('NO_RECIPIENTS', 'messages is empty', 'messages');
      throw refusal({
        code: reason.code,
        field: reason.field,
        // The rules' messages already start with the field path: it is written once.
        message: `no recipient can be sent to; ${
          reason.message.startsWith(`${reason.field}`) ? reason.message : `${reason.field}: ${reason.message}`
        }`,
      });
    }
    return { review, reservation: basis.reservation, fileIds: basis.fileIds, routeOf: basis.routeOf };
  }

  /**
   * The request-wide part of a plan, resolved once (country, reservation, files, sender and 080 state, the
   * limit profile, routes): any number of recipient lists can then be reviewed against it (a bulk send does
   * it per chunk of its CSV). Reads only; refuses a bad country, reservation or file.
   */
  async prepare(
    projectId: string,
    body: SendFields,
    now: Date,
    options: { reuseSenders?: boolean } = {},
  ): Promise<SendBasis> {
    const contentType = body.contentType ?? 'COMM';
    let countryCode: string;
    try {
      countryCode = resolveCallingCode(body.countryCode ?? DOMESTIC, 'countryCode');
    } catch (error) {
      if (error instanceof RuleError) throw refusal(error);
      throw error;
    }

    let reservation: ResolvedReserveTime | null = null;
    if (body.reserveTime !== undefined && body.reserveTime.trim() !== '') {
      try {
        reservation = resolveReserveTime(
          { reserveTime: body.reserveTime.trim(), reserveTimeZone: body.reserveTimeZone },
          { now },
        );
      } catch (error) {
        if (error instanceof SchedulingError) throw schedulingRefusal(error);
        throw error;
      }
    }

    const fileIds: string[] = [];
    for (const [i, file] of (body.files ?? []).entries()) {
      const row = await this.files.usable(projectId, file.fileId, `files[${i}].fileId`);
      fileIds.push(row.id);
    }

    // The primary plugin's limits and sender policy are the ones the rules and the law plan against: a text to
    // China is signed the way that vendor signs it, so the planned (and stored, and sent) text is exact.
    const { limitProfile, senderPolicies } = this.plugins.route({ countryCode, contentType });
    const [callingNumbers, optOutService] = await Promise.all([
      this.callingNumbers.forSenderCheck(projectId, { reuse: options.reuseSenders }),
      contentType === 'AD' ? this.optOut.serviceForReview(projectId) : Promise.resolve(null),
    ]);

    const routes = new Map<MessageType, string[]>();
    const routeOf = (type: MessageType): string[] => {
      let route = routes.get(type);
      if (!route) {
        route = this.plugins.route({ countryCode, type, contentType }).pluginIds;
        routes.set(type, route);
      }
      return route;
    };
    return {
      now,
      contentType,
      countryCode,
      reservation,
      fileIds,
      routeOf,
      context: {
        now,
        callingNumbers,
        optOutService,
        policy: this.policy,
        profile: limitProfile,
        senderPolicies,
      },
    };
  }

  /**
   * Reviews recipients against a prepared send with @munja/rules and @munja/compliance: looks up the 080 block
   * list for just these recipients (one query), refuses the request for a request-level problem, and resolves
   * the route of every planned type so a missing route refuses the request before anything is stored.
   */
  async review(
    projectId: string,
    basis: SendBasis,
    body: SendFields,
    messages: readonly RecipientDto[],
    // the transaction to read the block list in (a bulk send holds one while it reviews its chunks)
    manager?: EntityManager,
  ): Promise<ReviewResult> {
    const blockList =
      basis.contentType === 'AD' && basis.countryCode === DOMESTIC
        ? await this.optOut.blockedAmong(projectId, domesticNumbers(messages.map((m) => m.to)), manager)
        : new Set<string>();
    const review = reviewRequest(
      {
        type: body.type,
        contentType: basis.contentType,
        countryCode: basis.countryCode,
        from: body.from,
        subject: body.subject,
        content: body.content,
        fileCount: basis.fileIds.length,
        // Already resolved (DST, past, horizon) by @munja/scheduling; the instant carries its offset.
        reserveTime: basis.reservation?.instant.toISOString(),
        messages,
      },
      { ...basis.context, blockList },
    );
    if (!review.ok) throw refusal(review.errors[0]!);
    for (const r of review.recipients) if (r.outcome === 'PLANNED') basis.routeOf(r.channel);
    return review;
  }

  /** The 202 answer of a planned send, and the rows that store it (the answer is stored for Idempotency-Key replays). */
  private stored(
    projectId: string,
    body: SendMessageDto,
    plan: Plan,
    now: Date,
    key: string | null,
    fingerprint: string | null,
    apiKeyId: string,
  ): { answer: SendAnswer; send: StoredSend } {
    const { review, reservation } = plan;
    const requestId = timeOrderedId(now);
    const reservationId = reservation ? timeOrderedId(now) : null;
    const sendTime = review.sendAt!;
    const answer: SendAnswer = {
      requestId,
      requestTime: now.toISOString(),
      statusCode: '202',
      statusName: reservation ? 'reserved' : 'success',
      reservationId,
      sendTime,
      deferred: review.deferred,
      accepted: review.summary.planned,
      rejected: rejectedViews(review),
    };
    const messages = messageRows({
      projectId,
      requestId,
      requestTime: now,
      review,
      request: body,
      fileIds: plan.fileIds,
      reservationId,
      routeOf: plan.routeOf,
    });
    const request = [
      requestId,
      projectId,
      now,
      review.contentType,
      body.type ?? null,
      review.countryCode,
      review.from,
      body.subject ?? null,
      body.content,
      plan.fileIds,
      reservation?.instant ?? null,
      reservation?.zone ?? null,
      reservationId,
      key,
      fingerprint,
      // Kept only where a replay can ask for it: GET /v1/requests/:id derives its statusName as the answer did.
      key === null ? null : JSON.stringify(answer),
      review.summary.planned,
      review.summary.rejected,
      'api',
    ];
    const reservationRow = reservation
      ? [reservationId, projectId, requestId, new Date(sendTime), 'READY', now, now]
      : null;
    return { answer, send: { requestId, request, reservation: reservationRow, messages, apiKeyId } };
  }

  /**
   * Tells the dispatchers new work is queued: this process's in-process signal (the only one that works on the
   * embedded PGlite), and NOTIFY for other processes on a PostgreSQL server. Their timed sweep covers a loss.
   */
  async wakeDispatcher(): Promise<void> {
    this.dispatchSignal?.wake();
    try {
      await this.dataSource.query(`NOTIFY ${DISPATCH_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`NOTIFY ${DISPATCH_CHANNEL} failed: ${(error as Error).message}`);
    }
  }
}

/** The recipients' numbers as the block list stores them (unparseable ones are left to the review). */
function domesticNumbers(recipients: readonly string[]): string[] {
  const numbers = new Set<string>();
  for (const to of recipients) {
    try {
      numbers.add(normalizeKoreanNumber(to));
    } catch {
      // refused per recipient by the review, with its own code
    }
  }
  return [...numbers];
}
