/** How the dispatcher retries: attempts per plugin, and exponential backoff with jitter between them. */
export interface RetryPolicy {
  /** vendor attempts on one plugin before the message moves to the next plugin of its route (or fails) */
  readonly maxAttempts: number;
  /** delay before the second attempt; doubled each further attempt */
  readonly backoffMs: number;
  /** uniform in [0, 1); injected so tests can pin the jitter */
  readonly random: () => number;
}

/** No single wait grows past this, however many attempts a configuration allows. */
export const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Delay before attempt `attempt + 1` after `attempt` failed ones (attempt ≥ 1): base·2^(attempt−1), with
 * "equal jitter" (half fixed, half random) so retries of one failed batch spread out instead of striking the
 * vendor together, while each still waits at least half the nominal delay.
 */
export function backoffDelayMs(attempt: number, policy: Pick<RetryPolicy, 'backoffMs' | 'random'>): number {
  const nominal = Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + (nominal / 2) * policy.random());
}
