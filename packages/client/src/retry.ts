import { MunjaError, parseRetryAfter } from './errors';

export interface RetryOptions {
  /** retries after the first attempt (default 3); 0 turns retrying off */
  retries?: number;
  /** the first backoff (default 500 ms), doubled per retry */
  baseDelayMs?: number;
  /** the longest backoff (default 10 s) */
  maxDelayMs?: number;
  /** the longest `Retry-After` honoured (default 60 s); a longer one ends the retries with the error */
  maxRetryAfterMs?: number;
}

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** Statuses that say "not done, try again": too many requests, and the service unavailable for now. */
const RETRYABLE_STATUSES = new Set([429, 503]);

/** Methods that can be sent again without doing the work twice; other methods need an Idempotency-Key. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** told before each retry: why and how long it waits */
  onRetry?: (event: { attempt: number; delayMs: number; reason: string }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a request, retrying on a network error, 429 and 503: it waits `Retry-After` when the service says it,
 * a jittered exponential backoff otherwise. A POST/PATCH is retried only when it carries an Idempotency-Key (the
 * service answers a repeat with the first answer), except after a 429, which refused it before any work.
 * `make` gives a fresh request per attempt, so a body is sent whole each time.
 */
export async function sendWithRetry(
  make: () => Request | Promise<Request>,
  fetchImpl: (request: Request) => Promise<Response>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<Response> {
  const sleep = hooks.sleep ?? defaultSleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    const request = await make();
    const replayable = IDEMPOTENT_METHODS.has(request.method) || request.headers.has('idempotency-key');
    const canRetry = attempt < policy.retries;
    let response: Response;
    try {
      response = await fetchImpl(request);
    } catch (error) {
      if (isAbort(error) || !canRetry || !replayable) throw networkError(error);
      const delayMs = backoffMs(policy, attempt, random);
      hooks.onRetry?.({ attempt: attempt + 1, delayMs, reason: 'network error' });
      await sleep(delayMs);
      continue;
    }
    if (!RETRYABLE_STATUSES.has(response.status) || !canRetry) return response;
    if (response.status === 503 && !replayable) return response;
    const asked = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    if (asked !== undefined && asked > policy.maxRetryAfterMs) return response;
    const delayMs = asked ?? backoffMs(policy, attempt, random);
    // The answer is not read: free its connection before waiting.
    await response.body?.cancel().catch(() => undefined);
    hooks.onRetry?.({ attempt: attempt + 1, delayMs, reason: `HTTP ${response.status}` });
    await sleep(delayMs);
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function networkError(error: unknown): unknown {
  if (isAbort(error) || error instanceof MunjaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new MunjaError(
    { status: 0, code: 'NETWORK_ERROR', message: `No answer: ${message}` },
    { cause: error },
  );
}
