import {
  AuthenticationError,
  PermanentError,
  type ProviderError,
  RateLimitedError,
  TransientError,
} from '@munja/provider-kit';
import { Pool } from 'undici';
import type { SensConfig } from './config';
import { authHeaders } from './signature';
import { DEFAULT_RATE_LIMIT_RETRY_MS, readVendorError } from './unconfirmed';

export interface SensResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A non-2xx answer the caller may handle itself (400/404 per message) before it becomes an error. */
export class SensHttpError extends Error {
  constructor(
    readonly response: SensResponse,
    readonly error: ProviderError,
  ) {
    super(error.message);
  }
}

function retryAfterMs(header: string | string[] | undefined, nowMs: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds * 1000));
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(1, at - nowMs);
  }
  return DEFAULT_RATE_LIMIT_RETRY_MS;
}

/** HTTP status → the kind of failure the server acts on. Messages carry the vendor's words, never secrets. */
export function errorForStatus(response: SensResponse, operation: string, nowMs: number): ProviderError {
  const vendor = readVendorError(response.body);
  const code = String(response.status);
  const text = `SENS ${operation}: HTTP ${code}${vendor.code ? ` (${vendor.code})` : ''}${vendor.message ? ` ${vendor.message}` : ''}`;
  if (response.status === 401 || response.status === 403) return new AuthenticationError(code, text);
  if (response.status === 429)
    return new RateLimitedError(code, text, retryAfterMs(response.headers['retry-after'], nowMs));
  if (response.status >= 500 || response.status === 408) return new TransientError(code, text);
  return new PermanentError(code, text);
}

/** Network failures and timeouts: nothing is known to have been taken, so the server may retry. */
export function errorForNetwork(error: unknown, operation: string): ProviderError {
  const code = (error as { code?: unknown })?.code;
  const name = typeof code === 'string' ? code : 'NETWORK';
  return new TransientError(
    name,
    `SENS ${operation}: ${name} ${(error as Error)?.message ?? ''}`.trim(),
    error,
  );
}

/**
 * Signed JSON requests to SENS over one keep-alive undici Pool (the global fetch makes far fewer requests
 * per second, measured in docs/design.md).
 */
export class SensHttp {
  private readonly pool: Pool;
  private readonly prefix: string;

  constructor(
    private readonly config: SensConfig,
    private readonly now: () => number,
  ) {
    const url = new URL(config.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: config.concurrency,
      keepAliveTimeout: 30_000,
      connectTimeout: config.timeoutMs,
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });
  }

  /** `/sms/v2/services/{serviceId}/…` with the service id un-encoded, as in every vendor example */
  servicePath(rest: string): string {
    return `${this.prefix}/sms/v2/services/${this.config.serviceId}/${rest}`;
  }

  /** Sends one signed request; resolves 2xx, throws SensHttpError for other statuses, ProviderError for network. */
  async request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    operation: string,
    body?: unknown,
  ): Promise<SensResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...authHeaders(method, path, this.now(), this.config),
    };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    let response: SensResponse;
    try {
      const res = await this.pool.request({ method, path, headers, body: payload });
      const text = await res.body.text();
      let parsed: unknown = text;
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      response = { status: res.statusCode, body: parsed, headers: res.headers };
    } catch (error) {
      throw errorForNetwork(error, operation);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw new SensHttpError(response, errorForStatus(response, operation, this.now()));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
