/** Longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Wait before attempt `attempt + 1` after `attempt` failed: base · 2^(attempt−1), capped at an hour, then
 * "equal jitter" (half fixed, half random) so receivers that come back are not hit by every sender at once.
 * `random` is in [0, 1).
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

export type AttemptOutcome = 'DELIVERED' | 'RETRY' | 'FAILED';

/** What becomes of a delivery after an attempt: delivered, retried at `nextAttemptAt`, or given up. */
export function nextStep(input: {
  ok: boolean;
  attempt: number;
  now: Date;
  eventTime: Date;
  retryWindowMs: number;
  baseMs: number;
  random: number;
}): { outcome: AttemptOutcome; nextAttemptAt: Date | null } {
  if (input.ok) return { outcome: 'DELIVERED', nextAttemptAt: null };
  const next = new Date(input.now.getTime() + retryDelayMs(input.attempt, input.baseMs, input.random));
  // The window is counted from the event, so a long outage ends in FAILED rather than a delivery days late.
  if (next.getTime() > input.eventTime.getTime() + input.retryWindowMs) {
    return { outcome: 'FAILED', nextAttemptAt: null };
  }
  return { outcome: 'RETRY', nextAttemptAt: next };
}
