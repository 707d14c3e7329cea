import {
  AuthenticationError,
  PermanentError,
  ProviderError,
  RateLimitedError,
  TransientError,
} from '@munja/provider-kit';
import { Pool, request, type Dispatcher, type FormData } from 'undici';
import { kindForUnknownCode } from './unconfirmed';
import { CODES, type OmniResultBody } from './wire';

export interface OmniHttpOptions {
  readonly baseUrl: string;
  readonly connections: number;
  readonly requestTimeoutMs: number;
  readonly rateLimitBackoffMs: number;
}

export interface OmniCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: FormData;
}

/**
 * One keep-alive connection pool to the vendor, and the one place where an OMNI answer becomes either its
 * A000 body or a ProviderError of the right kind. Error messages carry the vendor's code and text and the
 * path, never a header (the token and the password travel in headers).
 */
export class OmniHttp {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: OmniHttpOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  /**
   * Whether the endpoint answers at all within `timeoutMs` (any HTTP status counts): a GET of the base path on
   * its own connection, so a probe never waits behind busy sends in the pool. Rejects with why not.
   */
  async probe(timeoutMs: number): Promise<void> {
    const res = await request(`${new URL(this.options.baseUrl).origin}${this.basePath}/`, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      reset: true,
    });
    await res.body.dump();
  }

  /** the A000 body of the call, or a ProviderError */
  async call(call: OmniCall): Promise<OmniResultBody> {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    let body: string | FormData | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      body = call.form;
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({
        path: `${this.basePath}${call.path}`,
        method: call.method,
        headers,
        body,
      });
    } catch (error) {
      throw networkError(call.path, error);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (error) {
      throw networkError(call.path, error);
    }
    const parsed = parseJson(text);
    const code = typeof parsed?.code === 'string' ? parsed.code : undefined;
    if (code === CODES.SUCCESS && res.statusCode < 300) return parsed as OmniResultBody;
    throw this.errorFor(call.path, res.statusCode, res.headers['retry-after'], code, parsed?.result);
  }

  private errorFor(
    path: string,
    status: number,
    retryAfter: string | string[] | undefined,
    code: string | undefined,
    result: unknown,
  ): ProviderError {
    const vendorCode = code ?? `HTTP_${status}`;
    const text = typeof result === 'string' ? result : `HTTP ${status}`;
    const message = `OMNI ${path}: ${vendorCode} ${text}`;
    const kind =
      code === CODES.EXPIRED_TOKEN
        ? 'AUTHENTICATION'
        : code === CODES.RATE_LIMITED
          ? 'RATE_LIMITED'
          : code === CODES.UNKNOWN_ERROR
            ? 'TRANSIENT'
            : code === CODES.BAD_REQUEST
              ? 'PERMANENT'
              : kindForUnknownCode(status);
    switch (kind) {
      case 'AUTHENTICATION':
        return new AuthenticationError(vendorCode, message);
      case 'RATE_LIMITED':
        return new RateLimitedError(
          vendorCode,
          message,
          retryAfterMs(retryAfter, this.options.rateLimitBackoffMs),
        );
      case 'TRANSIENT':
        return new TransientError(vendorCode, message);
      default:
        return new PermanentError(vendorCode, message);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds (capped at a minute); the configured backoff when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined, fallback: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds * 1000, 60_000);
  }
  return fallback;
}

function networkError(path: string, error: unknown): TransientError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'NETWORK';
  return new TransientError(code, `OMNI ${path}: network failure (${code})`, error);
}
