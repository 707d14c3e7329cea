import {
  AuthenticationError,
  PermanentError,
  RateLimitedError,
  TransientError,
  type ProviderError,
} from '@munja/provider-kit';
import type { PostboxConfig } from './config';

/** The Postbox wire format: one message of a send call, and what the vendor answers for it. */
export interface PostboxMessage {
  readonly ref: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
}
export type PostboxResult = { ref: string; id: string } | { ref: string; error: string };

/** A delivery report as Postbox hands it out, by polling (GET /v1/reports) or in a webhook call. */
export interface PostboxReport {
  readonly reportId: string;
  readonly id: string;
  readonly ref: string;
  readonly status: 'delivered' | 'failed';
  readonly code: string;
  readonly at: string;
}

/**
 * One call to the Postbox API. Maps every way a whole call can fail to the canonical error kinds: the
 * service decides from the kind alone whether to retry, slow down, fail over or give up.
 */
export async function callPostbox<T>(
  config: PostboxConfig,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL(path, config.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${config.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (error) {
    // refused connection, DNS, reset, timeout: the vendor may be back in a moment
    throw new TransientError('NETWORK', `Postbox ${method} ${path}: ${(error as Error).message}`, error);
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  throw await callError(response, `Postbox ${method} ${path}`);
}

async function callError(response: Response, what: string): Promise<ProviderError> {
  const status = String(response.status);
  const text = `${what}: HTTP ${status} ${await response.text()}`;
  if (response.status === 401 || response.status === 403) return new AuthenticationError(status, text);
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return new RateLimitedError(
      status,
      text,
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
    );
  }
  if (response.status >= 500 || response.status === 408) return new TransientError(status, text);
  return new PermanentError(status, text);
}
