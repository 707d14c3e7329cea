import { Agent, request } from 'undici';
import { isPrivateAddress, publicOnlyLookup } from './address-guard';
import { EVENT_ID_HEADER, signPayload, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Longest part of a receiver's error answer kept in the log. */
const ERROR_BODY_CHARS = 200;

/**
 * POSTs signed events. One undici Agent keeps a keep-alive pool per receiver origin; redirects are not
 * followed (a 3xx is a failed attempt, so an endpoint cannot bounce signed events elsewhere).
 */
export class WebhookSender {
  private readonly agent: Agent;
  private readonly closing = new AbortController();

  /** `allowPrivate` false: receivers on loopback, private or reserved addresses are refused (see address-guard). */
  constructor(
    private readonly timeoutMs: number,
    private readonly allowPrivate = false,
  ) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 16,
      ...(allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } }),
    });
  }

  /** The JSON body as sent (and signed): the event id, its type and time, and its data. */
  static body(event: { id: string; type: string; createdAt: Date; data: unknown }): string {
    return JSON.stringify({
      id: event.id,
      type: event.type,
      createdAt: event.createdAt.toISOString(),
      data: event.data,
    });
  }

  async send(input: {
    url: string;
    secret: string;
    eventId: string;
    body: string;
    timestampSeconds: number;
  }): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // An address written in the URL is connected to without a lookup, so it is checked here.
    const host = new URL(input.url).hostname;
    if (!this.allowPrivate && isPrivateAddress(host)) {
      return {
        ok: false,
        statusCode: null,
        error: `${host} is a private or reserved address`,
        durationMs: 0,
      };
    }
    try {
      const response = await request(input.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Munja-Webhooks/1',
          [EVENT_ID_HEADER]: input.eventId,
          [TIMESTAMP_HEADER]: String(input.timestampSeconds),
          [SIGNATURE_HEADER]: signPayload(input.secret, input.timestampSeconds, input.body),
        },
        body: input.body,
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal]),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      let error: string | null = null;
      if (ok) {
        await response.body.dump();
      } else {
        const text = (await response.body.text()).slice(0, ERROR_BODY_CHARS);
        error = `HTTP ${response.statusCode}${text ? `: ${text}` : ''}`;
      }
      return { ok, statusCode: response.statusCode, error, durationMs: elapsed() };
    } catch (error) {
      return { ok: false, statusCode: null, error: describe(error, this.timeoutMs), durationMs: elapsed() };
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.agent.close().catch(() => undefined);
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; code?: string; message?: string };
  if (
    err.name === 'TimeoutError' ||
    err.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    err.code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return `timeout after ${timeoutMs} ms`;
  }
  if (err.name === 'AbortError') return 'interrupted: the server is shutting down';
  if (err.code === 'WEBHOOK_ADDRESS_NOT_ALLOWED') return err.message ?? 'address not allowed';
  return [err.code, err.message].filter(Boolean).join(': ') || 'request failed';
}
