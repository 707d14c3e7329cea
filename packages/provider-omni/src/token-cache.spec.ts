import { describe, expect, it } from '@jest/globals';
import { TokenCache } from './token-cache';

const HOUR = 3_600_000;

function harness(lifetimeMs = 24 * HOUR, marginMs = 5 * 60_000) {
  let clock = 1_000_000;
  let calls = 0;
  const releases: Array<() => void> = [];
  let gated = false;
  const cache = new TokenCache(
    async () => {
      calls += 1;
      const value = `t${calls}`;
      const issuedAt = clock;
      if (gated) await new Promise<void>((resolve) => releases.push(resolve));
      return { value, schema: 'Bearer', expiresAt: issuedAt + lifetimeMs };
    },
    () => clock,
    marginMs,
  );
  return {
    cache,
    calls: () => calls,
    advance: (ms: number) => (clock += ms),
    gate: (on: boolean) => (gated = on),
    release: () => releases.splice(0).forEach((r) => r()),
  };
}

describe('TokenCache', () => {
  it('reuses the token until the refresh margin before expiry, then refreshes', async () => {
    const h = harness();
    const first = await h.cache.get();
    h.advance(24 * HOUR - 5 * 60_000 - 1);
    expect(await h.cache.get()).toBe(first);
    h.advance(1);
    const second = await h.cache.get();
    expect(second.value).toBe('t2');
    expect(h.calls()).toBe(2);
  });

  it('uses at most a tenth of a short lifetime as the margin', async () => {
    const h = harness(10_000);
    await h.cache.get();
    h.advance(8_999);
    expect((await h.cache.get()).value).toBe('t1');
    h.advance(1);
    expect((await h.cache.get()).value).toBe('t2');
  });

  it('shares one refresh among concurrent callers', async () => {
    const h = harness();
    h.gate(true);
    const waiting = Array.from({ length: 50 }, () => h.cache.get());
    h.release();
    const tokens = await Promise.all(waiting);
    expect(new Set(tokens.map((t) => t.value))).toEqual(new Set(['t1']));
    expect(h.calls()).toBe(1);
  });

  it('invalidates only the token the failed request used, so a burst of A001 refreshes once', async () => {
    const h = harness();
    const stale = await h.cache.get();
    h.cache.invalidate(stale);
    const fresh = await h.cache.get();
    h.cache.invalidate(stale); // a late A001 for the old token must not drop the new one
    expect(await h.cache.get()).toBe(fresh);
    expect(h.calls()).toBe(2);
  });

  it('forgets a failed refresh so that the next call tries again', async () => {
    let fail = true;
    const cache = new TokenCache(
      async () => {
        if (fail) throw new Error('refused');
        return { value: 'ok', schema: 'Bearer', expiresAt: 10 * HOUR };
      },
      () => 0,
      0,
    );
    await expect(cache.get()).rejects.toThrow('refused');
    expect(cache.peek()).toBeUndefined();
    fail = false;
    expect((await cache.get()).value).toBe('ok');
  });
});
