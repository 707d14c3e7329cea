import {
  AuthenticationError,
  PermanentError,
  ProviderError,
  TransientError,
  rejectedByCall,
  type DeliveryReport,
  type OutboundMessage,
  type PluginContext,
  type PollRequest,
  type PollResult,
  type Provider,
  type ProviderHealth,
  type SendOutcome,
  type UploadableFile,
  type UploadedFile,
  type WebhookRequest,
} from '@munja/provider-kit';
import type { LimitProfile } from '@munja/rules';
import { FormData } from 'undici';
import { PLUGIN_ID, type OmniConfig } from './config';
import { OmniHttp } from './omni-http';
import { planRequest } from './message-request';
import { mapOmniReport, parseOmniTime } from './report-mapping';
import { TokenCache, type AccessToken } from './token-cache';
import { TOKEN_EXPIRY_FIELDS, TOKEN_FALLBACK_LIFETIME_MS, WEBHOOK_BODY_MAY_BE_ARRAY } from './unconfirmed';
import { PATHS, POLLING_BATCH_MAX, TOKEN_HEADERS, type OmniResultBody } from './wire';

/** Which whole-call failure wins when every message of a send failed: the one the caller must act on first. */
const SEVERITY: Record<string, number> = { AUTHENTICATION: 3, RATE_LIMITED: 2, TRANSIENT: 1 };

/**
 * Run `task` over `items` with at most `limit` in flight, in order of start. Hand-written: ten lines, and the
 * stop-early hook (`shouldStart`) is what the rate-limit handling needs, which p-limit does not offer.
 */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  shouldStart: () => boolean,
  task: (item: T, index: number) => Promise<void>,
  skipped: (item: T, index: number) => void,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      if (shouldStart()) await task(item, index);
      else skipped(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** How long a health answer is reused, and how long the endpoint probe may take. */
export const HEALTH_CACHE_MS = 5000;
export const HEALTH_PROBE_TIMEOUT_MS = 2000;

export class OmniProvider implements Provider {
  readonly pluginId = PLUGIN_ID;
  readonly pollReports?: (request: PollRequest) => Promise<PollResult>;
  readonly parseWebhook?: (request: WebhookRequest) => DeliveryReport[];
  private readonly http: OmniHttp;
  private readonly tokens: TokenCache;
  private lastHealth: { at: number; health: ProviderHealth } | undefined;

  constructor(
    private readonly config: OmniConfig,
    private readonly context: PluginContext,
    private readonly profile: LimitProfile,
  ) {
    this.http = new OmniHttp(config);
    this.tokens = new TokenCache(
      () => this.issueToken(),
      () => context.now().getTime(),
      config.tokenRefreshMarginMs,
    );
    if (config.reports !== 'webhook') this.pollReports = (request) => this.poll(request);
    if (config.reports !== 'polling') this.parseWebhook = (request) => this.webhook(request);
  }

  /** token calls made so far (tests prove concurrent requests share one refresh) */
  get tokenCalls(): number {
    return this.tokens.issued;
  }

  async send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = new Array<SendOutcome>(messages.length);
    const callFailures: ProviderError[] = [];
    let stop: ProviderError | undefined;
    let accepted = 0;

    await forEachBounded(
      messages,
      this.config.sendConcurrency,
      () => stop === undefined,
      async (message, index) => {
        const planned = planRequest(message, this.profile);
        if (!planned.ok) {
          const { code, message: text } = planned.rejection;
          outcomes[index] = { ref: message.ref, accepted: false, code, message: text, retryable: false };
          return;
        }
        try {
          const body = await this.authorized({
            method: 'POST',
            path: planned.request.path,
            json: planned.request.body,
          });
          const msgKey = typeof body.msgKey === 'string' ? body.msgKey : '';
          // the vendor took it but gave no key to track it by: resending would risk a duplicate
          if (msgKey === '')
            throw new PermanentError('NO_MSGKEY', `OMNI ${planned.request.path}: A000 without msgKey`);
          accepted += 1;
          outcomes[index] = { ref: message.ref, accepted: true, vendorMessageId: msgKey };
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          outcomes[index] = rejectedByCall(message.ref, error);
          if (error.kind !== 'PERMANENT') callFailures.push(error);
          // a rate limit or dead credentials will refuse the rest too: do not hammer the vendor
          if (error.kind === 'RATE_LIMITED' || error.kind === 'AUTHENTICATION') stop ??= error;
        }
      },
      (message, index) => {
        outcomes[index] = rejectedByCall(message.ref, stop as ProviderError);
      },
    );

    // Nothing taken and nothing wrong with the messages themselves: the call failed as a whole.
    const failedWhole = outcomes.every((o) => !o.accepted && o.retryable);
    if (accepted === 0 && messages.length > 0 && failedWhole && callFailures.length > 0) {
      throw callFailures.reduce((worst, e) =>
        (SEVERITY[e.kind] ?? 0) > (SEVERITY[worst.kind] ?? 0) ? e : worst,
      );
    }
    return outcomes;
  }

  async uploadFile(file: UploadableFile): Promise<UploadedFile> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.name);
    const body = await this.authorized({ method: 'POST', path: PATHS.mmsFile, form });
    const data = (body.data ?? {}) as Record<string, unknown>;
    if (typeof data.fileKey !== 'string' || data.fileKey === '')
      throw new TransientError('NO_FILEKEY', `OMNI ${PATHS.mmsFile}: A000 without fileKey`);
    return { fileId: data.fileKey, expiresAt: parseOmniTime(data.expired) };
  }

  /**
   * Whether OMNI answers now: a real probe of its endpoint with a short timeout (a cached token says nothing
   * about an endpoint that froze or refuses connections), then a token when none is held. The answer is kept
   * HEALTH_CACHE_MS, so frequent readiness probes do not each call the vendor.
   */
  async health(): Promise<ProviderHealth> {
    const now = this.context.now().getTime();
    if (this.lastHealth && now - this.lastHealth.at < HEALTH_CACHE_MS) return this.lastHealth.health;
    let health: ProviderHealth;
    try {
      await this.http.probe(HEALTH_PROBE_TIMEOUT_MS);
      if (this.tokens.peek() === undefined) await this.tokens.get();
      health = { ok: true };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      health = { ok: false, detail: `OMNI does not answer: ${reason}` };
    }
    this.lastHealth = { at: now, health };
    return health;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** One polling batch (at most 1,000: OMNI decides, `limit` cannot raise it); acknowledge() DELETEs it. */
  private async poll(_request: PollRequest): Promise<PollResult> {
    const body = await this.authorized({ method: 'GET', path: PATHS.polling });
    const data = (body.data ?? {}) as Record<string, unknown>;
    const reportId = typeof data.reportId === 'string' ? data.reportId : '';
    const raw = Array.isArray(data.report) ? (data.report as unknown[]) : [];
    const receivedAt = this.context.now();
    const reports: DeliveryReport[] = [];
    for (const item of raw) {
      try {
        reports.push(mapOmniReport(item, receivedAt));
      } catch (error) {
        // one unreadable report must not hold back the batch; it stays in `raw` logs for audit
        this.context.logger.warn(
          { pluginId: PLUGIN_ID, reportId, error: (error as Error).message },
          'OMNI report skipped',
        );
      }
    }
    let acknowledged: Promise<void> | undefined;
    return {
      reports,
      more: raw.length >= POLLING_BATCH_MAX,
      acknowledge: () => {
        if (reportId === '') return Promise.resolve();
        acknowledged ??= this.authorized({
          method: 'DELETE',
          path: `${PATHS.polling}/${encodeURIComponent(reportId)}`,
        }).then(
          () => undefined,
          (error: unknown) => {
            acknowledged = undefined;
            throw error;
          },
        );
        return acknowledged;
      },
    };
  }

  private webhook(request: WebhookRequest): DeliveryReport[] {
    let body: unknown = request.body;
    if (typeof body === 'string' || Buffer.isBuffer(body)) body = parseJsonOrThrow(body.toString());
    else if (body === undefined && request.rawBody !== undefined)
      body = parseJsonOrThrow(request.rawBody.toString());
    const items = WEBHOOK_BODY_MAY_BE_ARRAY && Array.isArray(body) ? (body as unknown[]) : [body];
    if (items.length === 0) throw new PermanentError('INVALID_REPORT', 'OMNI webhook: empty report list');
    const receivedAt = this.context.now();
    return items.map((item) => mapOmniReport(item, receivedAt));
  }

  /** A call with the cached token; on A001 the token is dropped, refreshed once (shared) and the call retried once. */
  private async authorized(call: Parameters<OmniHttp['call']>[0]): Promise<OmniResultBody> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.tokens.get();
      try {
        const body = await this.http.call({
          ...call,
          headers: { authorization: `${token.schema} ${token.value}` },
        });
        // a real call is fresher evidence than a cached probe: a vendor that answers with working credentials is up
        this.lastHealth = { at: this.context.now().getTime(), health: { ok: true } };
        return body;
      } catch (error) {
        // the next health() probes again rather than repeat an answer this failure may contradict
        this.lastHealth = undefined;
        if (!(error instanceof AuthenticationError) || attempt > 1) throw error;
        this.tokens.invalidate(token);
        this.context.logger.info(
          { pluginId: PLUGIN_ID, path: call.path },
          'OMNI token refused (A001): refreshing once',
        );
      }
    }
  }

  private async issueToken(): Promise<Omit<AccessToken, 'issuedAt'>> {
    const body = await this.http.call({
      method: 'POST',
      path: PATHS.token,
      headers: {
        [TOKEN_HEADERS.clientId]: this.config.clientId,
        [TOKEN_HEADERS.password]: this.config.password,
      },
    });
    const data = (body.data ?? {}) as Record<string, unknown>;
    if (typeof data.token !== 'string' || data.token === '')
      throw new AuthenticationError('NO_TOKEN', `OMNI ${PATHS.token}: A000 without a token`);
    const schema = typeof data.schema === 'string' && data.schema !== '' ? data.schema : 'Bearer';
    const now = this.context.now().getTime();
    let expiresAt: number | undefined;
    for (const field of TOKEN_EXPIRY_FIELDS) expiresAt ??= parseOmniTime(data[field])?.getTime();
    return { value: data.token, schema, expiresAt: expiresAt ?? now + TOKEN_FALLBACK_LIFETIME_MS };
  }
}

function parseJsonOrThrow(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PermanentError('INVALID_REPORT', 'OMNI webhook: body is not JSON');
  }
}
