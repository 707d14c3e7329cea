import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_RETRY_DELAY_MS, nextStep, retryDelayMs } from './retry-policy';

const HOUR = 3_600_000;

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, expected (base 10 s)
    [1, 0, 5_000],
    [1, 0.999999, 10_000],
    [2, 0, 10_000],
    [3, 0.5, 30_000],
    [9, 1, 2_560_000],
    [10, 1, MAX_RETRY_DELAY_MS], // 5 120 s capped at an hour
    [10, 0, MAX_RETRY_DELAY_MS / 2],
    [1000, 1, MAX_RETRY_DELAY_MS],
  ])('attempt %d, random %d → %d ms', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, 10_000, random)).toBe(expected);
  });

  it('lies between half and all of the capped exponential, and never shrinks as attempts grow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, random) => {
          const full = Math.min(MAX_RETRY_DELAY_MS, base * 2 ** (attempt - 1));
          const delay = retryDelayMs(attempt, base, random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(full));
          expect(retryDelayMs(attempt + 1, base, random)).toBeGreaterThanOrEqual(delay);
        },
      ),
    );
  });
});

describe('nextStep', () => {
  const eventTime = new Date('2026-03-02T00:00:00Z');
  const step = (ok: boolean, now: Date, attempt = 1) =>
    nextStep({ ok, attempt, now, eventTime, retryWindowMs: 24 * HOUR, baseMs: 10_000, random: 1 });

  it('delivers on success, whatever the attempt', () => {
    expect(step(true, new Date(eventTime.getTime() + 30 * HOUR), 40)).toEqual({
      outcome: 'DELIVERED',
      nextAttemptAt: null,
    });
  });

  it('retries while the next attempt still falls inside 24 h of the event, then gives up', () => {
    // random 1 → the full 10 s delay after attempt 1.
    const lastRetry = new Date(eventTime.getTime() + 24 * HOUR - 10_000);
    expect(step(false, lastRetry)).toEqual({
      outcome: 'RETRY',
      nextAttemptAt: new Date(eventTime.getTime() + 24 * HOUR),
    });
    expect(step(false, new Date(lastRetry.getTime() + 1))).toEqual({
      outcome: 'FAILED',
      nextAttemptAt: null,
    });
  });
});
