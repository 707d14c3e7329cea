import { instantMillis, nonNegativeMillis } from './instant';

/** A READY reservation not started within this long after its time becomes STALE: it is never sent late. */
export const DEFAULT_GRACE_MS = 10 * 60_000;

/**
 * - `WAIT`: its time has not come (now < due);
 * - `START`: due ≤ now ≤ due + grace — both edges included, so due + 10:00.000 still starts;
 * - `STALE`: now > due + grace — due + 10:00.001 is stale.
 */
export type StartAction = 'WAIT' | 'START' | 'STALE';

export interface StartDecision {
  action: StartAction;
  /** now − due in milliseconds (negative while waiting) */
  lateByMs: number;
}

/** Decides whether a READY reservation due at `dueAt` may start at `now`, or must become STALE. */
export function decideStart(dueAt: Date, now: Date, graceMs: number = DEFAULT_GRACE_MS): StartDecision {
  const dueMs = instantMillis(dueAt, 'dueAt');
  const nowMs = instantMillis(now, 'now');
  const grace = nonNegativeMillis(graceMs, 'graceMs');
  const lateByMs = nowMs - dueMs;
  if (lateByMs < 0) return { action: 'WAIT', lateByMs };
  return { action: lateByMs <= grace ? 'START' : 'STALE', lateByMs };
}
