import { describe, expect, it } from '@jest/globals';
import { AuthenticationError, PermanentError, RateLimitedError, TransientError } from '@munja/provider-kit';
import fc from 'fast-check';
import { failureOfError, failureOfOutcome, nextStepAfterFailure, type SendFailure } from './next-step';
import { backoffDelayMs, MAX_BACKOFF_MS } from './retry-policy';

const now = new Date('2026-03-02T01:00:00.000Z');
const policy = { maxAttempts: 3, backoffMs: 1000, random: () => 0.5 };
const at = (ms: number) => new Date(now.getTime() + ms);
const transient: SendFailure = { code: '503', message: 'unavailable', retryable: true };

describe('nextStepAfterFailure', () => {
  it.each([
    // attempts so far, route index, route → expected
    {
      attempts: 0,
      routeIndex: 0,
      route: ['sens', 'omni'],
      step: { kind: 'RETRY', routeIndex: 0, attempts: 1, dueAt: at(750) },
    },
    {
      attempts: 1,
      routeIndex: 0,
      route: ['sens', 'omni'],
      step: { kind: 'RETRY', routeIndex: 0, attempts: 2, dueAt: at(1500) },
    },
    // the third failure on sens (maxAttempts 3) moves to omni at once, attempts reset
    {
      attempts: 2,
      routeIndex: 0,
      route: ['sens', 'omni'],
      step: { kind: 'RETRY', routeIndex: 1, attempts: 0, dueAt: now },
    },
    // … and on the last plugin it fails with the vendor code
    { attempts: 2, routeIndex: 1, route: ['sens', 'omni'], step: { kind: 'FAILED', code: '503' } },
    { attempts: 2, routeIndex: 0, route: ['omni'], step: { kind: 'FAILED', code: '503' } },
  ])(
    'transient failure after $attempts attempts on route index $routeIndex of $route',
    ({ attempts, routeIndex, route, step }) => {
      expect(nextStepAfterFailure({ attempts, routeIndex, route }, transient, now, policy)).toMatchObject(
        step,
      );
    },
  );

  it('fails a permanent refusal at once, whatever plugins follow', () => {
    const step = nextStepAfterFailure(
      { attempts: 0, routeIndex: 0, route: ['sens', 'omni'] },
      { code: '400', message: 'bad', retryable: false },
      now,
      policy,
    );
    expect(step).toEqual({ kind: 'FAILED', code: '400', message: 'bad' });
  });

  it('waits out a rate limit on the same plugin without counting the attempt', () => {
    const step = nextStepAfterFailure(
      { attempts: 2, routeIndex: 0, route: ['sens', 'omni'] },
      { ...transient, code: '429', retryAfterMs: 1500 },
      now,
      policy,
    );
    expect(step).toMatchObject({ kind: 'RETRY', routeIndex: 0, attempts: 2, dueAt: at(1500) });
  });

  it('moves to the next plugin at once when the credentials are refused, else retries like a transient failure', () => {
    const auth = { ...transient, code: '401', authentication: true };
    expect(
      nextStepAfterFailure({ attempts: 0, routeIndex: 0, route: ['sens', 'omni'] }, auth, now, policy),
    ).toMatchObject({
      kind: 'RETRY',
      routeIndex: 1,
      attempts: 0,
      dueAt: now,
    });
    expect(
      nextStepAfterFailure({ attempts: 0, routeIndex: 0, route: ['sens'] }, auth, now, policy),
    ).toMatchObject({
      kind: 'RETRY',
      routeIndex: 0,
      attempts: 1,
    });
  });
});

describe('failureOfError / failureOfOutcome', () => {
  it('reads the provider error kinds', () => {
    expect(failureOfError(new RateLimitedError('429', 'slow', 2000))).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(failureOfError(new AuthenticationError('401', 'no'))).toMatchObject({
      retryable: true,
      authentication: true,
    });
    expect(failureOfError(new TransientError('ECONNRESET', 'reset'))).toEqual({
      code: 'ECONNRESET',
      message: 'reset',
      retryable: true,
    });
    expect(failureOfError(new PermanentError('400', 'bad'))).toMatchObject({ retryable: false });
    expect(failureOfError(new Error('bug'))).toMatchObject({ code: 'PLUGIN_ERROR', retryable: true });
  });

  it('reads one outcome', () => {
    expect(failureOfOutcome({ ref: 'a', accepted: true, vendorMessageId: 'v' })).toBeUndefined();
    expect(
      failureOfOutcome({
        ref: 'a',
        accepted: false,
        code: 'A020',
        message: 'slow',
        retryable: true,
        retryAfterMs: 500,
      }),
    ).toEqual({ code: 'A020', message: 'slow', retryable: true, retryAfterMs: 500 });
    // a retry hint on a permanent refusal means nothing
    expect(
      failureOfOutcome({
        ref: 'a',
        accepted: false,
        code: 'A010',
        message: 'bad',
        retryable: false,
        retryAfterMs: 500,
      }),
    ).toEqual({ code: 'A010', message: 'bad', retryable: false });
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0, 1000],
    [3, 0, 2000],
    [4, 1, 8000],
  ])('attempt %i with random %f waits %i ms (base 1 s)', (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, { backoffMs: 1000, random: () => random })).toBe(expected);
  });

  it('stays within [nominal/2, nominal] and never passes the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, base, r) => {
          const nominal = Math.min(MAX_BACKOFF_MS, base * 2 ** (attempt - 1));
          const delay = backoffDelayMs(attempt, { backoffMs: base, random: () => r });
          return delay >= Math.floor(nominal / 2) && delay <= Math.ceil(nominal) && delay <= MAX_BACKOFF_MS;
        },
      ),
    );
  });

  it('grows with the attempt for the same jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, r) => {
          const policy = { backoffMs: 100, random: () => r };
          return backoffDelayMs(attempt + 1, policy) >= backoffDelayMs(attempt, policy);
        },
      ),
    );
  });
});
