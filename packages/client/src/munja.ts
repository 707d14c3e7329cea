import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';
import { bulkBody, type RecipientsSource, type UploadProgress } from './bulk-body';
import { MunjaError } from './errors';
import { PagedList } from './paging';
import { retryPolicy, sendWithRetry, type RetryHooks, type RetryOptions } from './retry';
import { verifyWebhook, type HeaderSource, type VerifyOptions } from './webhooks';

type Schemas = components['schemas'];
export type SendMessageRequest = Schemas['SendMessageDto'];
export type SendAnswer = Schemas['SendAnswer'];
export type ScheduleAttachAnswer = Schemas['ScheduleAttachAnswer'];
export type DryRun = Schemas['DryRun'];
export type MessageView = Schemas['MessageView'];
export type SendRequestView = Schemas['SendRequestView'];
export type ReservationView = Schemas['ReservationView'];
export type DeliveryView = Schemas['DeliveryView'];
export type TestEventView = Schemas['TestEventView'];
export type MessageHistoryQuery = Omit<
  NonNullable<paths['/v1/messages']['get']['parameters']['query']>,
  'cursor'
>;
export type ReservationsQuery = Omit<
  NonNullable<paths['/v1/reservations']['get']['parameters']['query']>,
  'cursor'
>;
export type DeliveriesQuery = Omit<
  NonNullable<paths['/v1/webhooks/deliveries']['get']['parameters']['query']>,
  'cursor'
>;
export type BulkAnswer = Schemas['BulkAnswer'];
export type RequestProgress = Schemas['RequestProgress'];
/** POST /v1/messages/bulk's `request` part: the send fields without `messages`. */
export type BulkSendFields = Omit<SendMessageRequest, 'messages'>;

export interface MunjaOptions {
  /** where the service answers, e.g. `http://127.0.0.1:3000` */
  baseUrl: string;
  /** a project API key (or the operator key for operator routes through `raw`) */
  apiKey: string;
  /** retries on network errors, 429 and 503 (default 3, backoff from 500 ms with jitter) */
  retry?: RetryOptions;
  /** told before each retry */
  onRetry?: RetryHooks['onRetry'];
  /** a fetch of your own, given a Request per attempt (default globalThis.fetch) */
  fetch?: (request: Request) => Promise<Response>;
  /** makes Idempotency-Keys (default crypto.randomUUID) */
  idempotencyKey?: () => string;
}

export interface SendOptions {
  /** one key per logical send (default: a new UUID, kept across this call's retries) */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface BulkSendInput {
  /** the common fields: from, content, type, contentType, reserveTime… (no `messages`) */
  request: BulkSendFields;
  /** the CSV: `to[,subject][,content]` with a header row, or one number per line */
  recipients: RecipientsSource;
  filename?: string;
  /** the size of a stream source in bytes, for `totalBytes` in progress */
  size?: number;
  onProgress?: (progress: UploadProgress) => void;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface ApiResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or a MunjaError carrying the service's status, code and field. */
async function unwrap<T>(result: ApiResult<T>): Promise<T> {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as { code?: unknown; message?: unknown; field?: unknown };
  const retryAfter = result.response.headers.get('retry-after');
  return Promise.reject(
    new MunjaError({
      status: result.response.status,
      code: typeof body.code === 'string' ? body.code : `HTTP_${result.response.status}`,
      message: typeof body.message === 'string' ? body.message : `HTTP ${result.response.status}`,
      ...(typeof body.field === 'string' ? { field: body.field } : {}),
      ...(retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : {}),
    }),
  );
}

/**
 * The Munja service from JavaScript: `const munja = new Munja({ baseUrl, apiKey })`. Every route is also
 * reachable, typed from the OpenAPI document, through `munja.raw` (openapi-fetch) with the same retries.
 */
export class Munja {
  /** the typed openapi-fetch client for every route (`munja.raw.GET('/v1/project')`) */
  readonly raw: Client<paths>;
  readonly messages: MessagesApi;
  readonly reservations: ReservationsApi;
  readonly webhooks: WebhooksApi;
  readonly bulk: BulkApi;
  /** @internal */
  readonly newKey: () => string;
  /** @internal */
  readonly baseUrl: string;

  constructor(private readonly options: MunjaOptions) {
    if (!options.baseUrl) throw new TypeError('Munja: baseUrl is required');
    if (!options.apiKey) throw new TypeError('Munja: apiKey is required');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.newKey = options.idempotencyKey ?? (() => globalThis.crypto.randomUUID());
    this.raw = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { Authorization: `Bearer ${options.apiKey}` },
      // The request is built once by openapi-fetch and cloned per attempt.
      fetch: (request: Request) => this.send(() => request.clone()),
    });
    this.messages = new MessagesApi(this);
    this.reservations = new ReservationsApi(this);
    this.webhooks = new WebhooksApi(this);
    this.bulk = new BulkApi(this);
  }

  /**
   * @internal Sends with this client's retries; `make` builds each attempt's request, or `once` sends a body
   * that cannot be read twice without retrying.
   */
  send(make: () => Request | Promise<Request>, once = false): Promise<Response> {
    const fetchImpl = this.options.fetch ?? ((request: Request) => globalThis.fetch(request));
    const policy = retryPolicy(once ? { ...this.options.retry, retries: 0 } : this.options.retry);
    return sendWithRetry(
      make,
      fetchImpl,
      policy,
      this.options.onRetry ? { onRetry: this.options.onRetry } : {},
    );
  }

  /** @internal */
  authorization(): string {
    return `Bearer ${this.options.apiKey}`;
  }
}

export class MessagesApi {
  constructor(private readonly munja: Munja) {}

  /**
   * Sends (or reserves, or attaches to a schedule) one message to up to 1,000 recipients: 202 with the
   * requestId and the recipients refused by line. One Idempotency-Key per call, kept across its retries, so a
   * retried send is never sent twice.
   */
  send(
    body: SendMessageRequest & { scheduleCode: string },
    options?: SendOptions,
  ): Promise<ScheduleAttachAnswer>;
  send(body: SendMessageRequest & { scheduleCode?: undefined }, options?: SendOptions): Promise<SendAnswer>;
  send(body: SendMessageRequest, options?: SendOptions): Promise<SendAnswer | ScheduleAttachAnswer>;
  async send(
    body: SendMessageRequest,
    options: SendOptions = {},
  ): Promise<SendAnswer | ScheduleAttachAnswer> {
    const key = options.idempotencyKey ?? (body.scheduleCode === undefined ? this.munja.newKey() : undefined);
    return unwrap(
      await this.munja.raw.POST('/v1/messages', {
        body,
        params: { header: key === undefined ? {} : { 'Idempotency-Key': key } },
        ...(options.signal ? { signal: options.signal } : {}),
      }),
    ) as Promise<SendAnswer | ScheduleAttachAnswer>;
  }

  /** The full plan of a send (`?dryRun=true`): what each recipient would get; nothing is stored. */
  async dryRun(body: SendMessageRequest): Promise<DryRun | ScheduleAttachAnswer> {
    return unwrap(
      await this.munja.raw.POST('/v1/messages', { body, params: { query: { dryRun: 'true' } } }),
    ) as Promise<DryRun | ScheduleAttachAnswer>;
  }

  async get(messageId: string): Promise<MessageView> {
    return unwrap(await this.munja.raw.GET('/v1/messages/{messageId}', { params: { path: { messageId } } }));
  }

  /** A send request and a page of its messages in recipient order. */
  async request(requestId: string, page?: { page?: number; size?: number }): Promise<SendRequestView> {
    return unwrap(
      await this.munja.raw.GET('/v1/requests/{requestId}', {
        params: { path: { requestId }, query: page ?? {} },
      }),
    );
  }

  /** History, newest first, every page as the loop asks: `for await (const m of munja.messages.list()) …` */
  list(query: MessageHistoryQuery = {}): PagedList<MessageView> {
    return new PagedList(async (cursor) =>
      unwrap(
        await this.munja.raw.GET('/v1/messages', {
          params: { query: { ...query, ...(cursor === undefined ? {} : { cursor }) } },
        }),
      ),
    );
  }
}

export class ReservationsApi {
  constructor(private readonly munja: Munja) {}

  list(query: ReservationsQuery = {}): PagedList<ReservationView> {
    return new PagedList(async (cursor) =>
      unwrap(
        await this.munja.raw.GET('/v1/reservations', {
          params: { query: { ...query, ...(cursor === undefined ? {} : { cursor }) } },
        }),
      ),
    );
  }

  async get(reservationId: string): Promise<ReservationView> {
    return unwrap(
      await this.munja.raw.GET('/v1/reservations/{reservationId}', { params: { path: { reservationId } } }),
    );
  }

  async cancel(reservationId: string): Promise<ReservationView> {
    return unwrap(
      await this.munja.raw.POST('/v1/reservations/{reservationId}/cancel', {
        params: { path: { reservationId } },
      }),
    );
  }
}

export class WebhooksApi {
  constructor(private readonly munja: Munja) {}

  /** The delivery log, newest first, every page as the loop asks. */
  deliveries(query: DeliveriesQuery = {}): PagedList<DeliveryView> {
    return new PagedList(async (cursor) =>
      unwrap(
        await this.munja.raw.GET('/v1/webhooks/deliveries', {
          params: { query: { ...query, ...(cursor === undefined ? {} : { cursor }) } },
        }),
      ),
    );
  }

  /**
   * Queues a signed `webhook.test` event for one endpoint (through the ordinary delivery path: it shows in
   * the delivery log). MunjaError 404 for an unknown endpoint, 409 WEBHOOK_ENDPOINT_DISABLED when disabled.
   */
  async sendTestEvent(endpointId: string): Promise<TestEventView> {
    return unwrap(await this.munja.raw.POST('/v1/webhooks/test-events', { body: { endpointId } }));
  }

  /**
   * true when a request your endpoint received was signed by the service with `secret` within the timestamp
   * window (300 s). Pass the raw body, before parsing it.
   */
  verify(
    rawBody: string | Uint8Array | ArrayBuffer,
    headers: HeaderSource,
    secret: string,
    options?: VerifyOptions,
  ): Promise<boolean> {
    return verifyWebhook(rawBody, headers, secret, options);
  }
}

export class BulkApi {
  constructor(private readonly munja: Munja) {}

  /**
   * Sends one message to up to 100,000 recipients from a CSV (text, Blob/File, or a Node stream), reporting
   * upload progress. A text or Blob source is retried like a send (same Idempotency-Key); a stream cannot be
   * read twice, so it is sent once.
   */
  async send(input: BulkSendInput): Promise<BulkAnswer> {
    const body = bulkBody(input.request, input.recipients, {
      ...(input.filename === undefined ? {} : { filename: input.filename }),
      ...(input.size === undefined ? {} : { size: input.size }),
    });
    const key = input.idempotencyKey ?? this.munja.newKey();
    const url = `${this.munja.baseUrl}/v1/messages/bulk`;
    const send = (made: { body: BodyInit; streamed: boolean }) =>
      new Request(url, {
        method: 'POST',
        headers: {
          Authorization: this.munja.authorization(),
          'Content-Type': body.contentType,
          'Idempotency-Key': key,
        },
        body: made.body,
        ...(made.streamed ? { duplex: 'half' } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      } as RequestInit);
    // A text or Blob source is read again from its start on each attempt (progress starts again too).
    const response = await this.munja.send(() => send(body.make(input.onProgress)), !body.replayable);
    if (!response.ok) throw await MunjaError.fromResponse(response);
    return (await response.json()) as BulkAnswer;
  }

  /** Where a send request's messages are now (at most 1 s old). */
  async progress(requestId: string): Promise<RequestProgress> {
    return unwrap(
      await this.munja.raw.GET('/v1/requests/{requestId}/progress', { params: { path: { requestId } } }),
    );
  }
}
