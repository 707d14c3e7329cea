import { describe, expect, it } from '@jest/globals';
import { disableReason } from './delivery-store';

const HOUR = 3_600_000;
const policy = { failingWindowMs: 24 * HOUR, maxConsecutiveFailures: 100 };
const since = new Date('2026-03-02T00:00:00Z');
const at = (ms: number) => new Date(since.getTime() + ms);

describe('disableReason', () => {
  it.each([
    ['failing 24 h minus 1 ms, 99 failed deliveries', 24 * HOUR - 1, 99, null],
    [
      'failing exactly 24 h',
      24 * HOUR,
      0,
      /^FAILING_TOO_LONG: no successful delivery since 2026-03-02T00:00:00.000Z \(24 h\)$/,
    ],
    ['100 failed deliveries in a row', 1000, 100, /^TOO_MANY_FAILED_DELIVERIES: 100 deliveries in a row/],
  ])('%s', (_name, failingMs, failures, expected) => {
    const reason = disableReason(
      { failing_since: since, consecutive_failures: failures },
      at(failingMs),
      policy,
    );
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });
});
