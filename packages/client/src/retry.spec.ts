import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseRetryAfter } from './errors';
import { backoffMs, retryPolicy, sendWithRetry } from './retry';

describe('backoff', () => {
  it('waits a jittered time within [0, min(max, base·2^retry)] (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseDelayMs, maxDelayMs, retry, random) => {
          const policy = retryPolicy({ baseDelayMs, maxDelayMs });
          const wait = backoffMs(policy, retry, () => random);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** retry));
        },
      ),
    );
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-03-02T01:00:00Z');
  it.each([
    ['0', 0],
    ['3', 3000],
    ['1.5', 1500],
    ['Mon, 02 Mar 2026 01:00:10 GMT', 10_000],
    ['Mon, 02 Mar 2026 00:59:00 GMT', 0],
  ])('%s → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([[null], ['soon'], ['-1'], ['']])('%s is not a wait', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('sendWithRetry', () => {
  const answer = (status: number, headers: Record<string, string> = {}) =>
    new Response('{}', { status, headers: { 'content-type': 'application/json', ...headers } });
  const policy = retryPolicy({ retries: 3, baseDelayMs: 100 });

  const run = async (
    answers: (Response | Error)[],
    init: RequestInit = { method: 'POST', headers: { 'Idempotency-Key': 'k' } },
  ) => {
    const waits: number[] = [];
    let calls = 0;
    const result = await sendWithRetry(
      () => new Request('http://127.0.0.1:1/v1/messages', init),
      async () => {
        const next = answers[calls++]!;
        if (next instanceof Error) throw next;
        return next;
      },
      policy,
      { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    ).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    return { result, waits, calls };
  };

  it('waits exactly Retry-After, then the backoff when none is said', async () => {
    expect(await run([answer(503, { 'retry-after': '2' }), answer(429), answer(202)])).toEqual({
      result: 202,
      waits: [2000, 100],
      calls: 3,
    });
  });

  it('stops after its retries with the last answer', async () => {
    const { result, calls } = await run([answer(503), answer(503), answer(503), answer(503), answer(202)]);
    expect([result, calls]).toEqual([503, 4]);
  });

  it('does not retry a POST without an Idempotency-Key after a network error or a 503, but does after a 429', async () => {
    const post = { method: 'POST' };
    expect((await run([new TypeError('fetch failed'), answer(202)], post)).result).toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
    });
    expect((await run([answer(503), answer(202)], post)).result).toBe(503);
    expect((await run([answer(429), answer(202)], post)).result).toBe(202);
  });

  it('does not wait a Retry-After longer than it allows, nor retry other statuses or an abort', async () => {
    expect(await run([answer(503, { 'retry-after': '3600' }), answer(202)])).toMatchObject({
      result: 503,
      calls: 1,
    });
    expect(await run([answer(500), answer(202)])).toMatchObject({ result: 500, calls: 1 });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(await run([abort, answer(202)])).toMatchObject({ result: abort, calls: 1 });
  });
});
