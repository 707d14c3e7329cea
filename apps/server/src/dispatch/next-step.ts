import type { SendOutcome } from '@munja/provider-kit';
import { ProviderError } from '@munja/provider-kit';
import { backoffDelayMs, type RetryPolicy } from './retry-policy';

/** Where a claimed message stands in its route, as far as the retry decision needs it. */
export interface RoutePosition {
  readonly route: readonly string[];
  readonly routeIndex: number;
  /** failed attempts on the current plugin so far */
  readonly attempts: number;
}

/** Why one message did not get through this time. */
export interface SendFailure {
  readonly code: string;
  readonly message: string;
  /** the same message may succeed later */
  readonly retryable: boolean;
  /** the vendor asked us to slow down: wait this long, and the attempt does not count */
  readonly retryAfterMs?: number;
  /** the plugin's credentials were refused: move to the next plugin at once */
  readonly authentication?: boolean;
}

export type NextStep =
  | { readonly kind: 'SENT'; readonly vendorMessageId: string; readonly vendorRequestId?: string }
  | {
      readonly kind: 'RETRY';
      readonly routeIndex: number;
      readonly attempts: number;
      readonly dueAt: Date;
      readonly code: string;
      readonly message: string;
    }
  | { readonly kind: 'FAILED'; readonly code: string; readonly message: string };

/** What a whole failed vendor call means for each message in it. */
export function failureOfError(error: unknown): SendFailure {
  if (error instanceof ProviderError) {
    return {
      code: error.vendorCode,
      message: error.message,
      retryable: error.kind !== 'PERMANENT',
      ...(error.kind === 'RATE_LIMITED' ? { retryAfterMs: error.retryAfterMs ?? 1000 } : {}),
      ...(error.kind === 'AUTHENTICATION' ? { authentication: true } : {}),
    };
  }
  // Not the plugin's contract (a bug, an unmapped network error): treated as transient, and counted.
  return {
    code: 'PLUGIN_ERROR',
    message: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}

/** What one vendor outcome means for its message (accepted, or the failure to decide on). */
export function failureOfOutcome(outcome: SendOutcome): SendFailure | undefined {
  if (outcome.accepted) return undefined;
  return {
    code: outcome.code,
    message: outcome.message,
    retryable: outcome.retryable,
    ...(outcome.retryable && outcome.retryAfterMs !== undefined
      ? { retryAfterMs: outcome.retryAfterMs }
      : {}),
  };
}

/**
 * The next step for a message whose attempt failed:
 * rate limited → the same plugin later (retryAfterMs), the attempt not counted;
 * credentials refused → the next plugin of the route at once (else like a transient failure);
 * transient → the same plugin after a backoff until maxAttempts, then the next plugin, then FAILED;
 * permanent → FAILED with the vendor's code.
 */
export function nextStepAfterFailure(
  position: RoutePosition,
  failure: SendFailure,
  now: Date,
  policy: RetryPolicy,
): NextStep {
  const hasNextPlugin = position.routeIndex + 1 < position.route.length;
  const retry = (routeIndex: number, attempts: number, delayMs: number): NextStep => ({
    kind: 'RETRY',
    routeIndex,
    attempts,
    dueAt: new Date(now.getTime() + delayMs),
    code: failure.code,
    message: failure.message,
  });
  if (!failure.retryable) return { kind: 'FAILED', code: failure.code, message: failure.message };
  if (failure.retryAfterMs !== undefined)
    return retry(position.routeIndex, position.attempts, failure.retryAfterMs);
  if (failure.authentication && hasNextPlugin) return retry(position.routeIndex + 1, 0, 0);
  const attempts = position.attempts + 1;
  if (attempts < policy.maxAttempts)
    return retry(position.routeIndex, attempts, backoffDelayMs(attempts, policy));
  if (hasNextPlugin) return retry(position.routeIndex + 1, 0, 0);
  return { kind: 'FAILED', code: failure.code, message: failure.message };
}
