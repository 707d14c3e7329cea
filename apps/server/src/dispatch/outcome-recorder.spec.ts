import { describe, expect, it } from '@jest/globals';
import type { RecordedStep } from '../lifecycle/message-queue';
import { OutcomeRecorder, type OutcomeRetry } from './outcome-recorder';

const RETRY: OutcomeRetry = { firstBackoffMs: 100, maxBackoffMs: 1000, leaseMarginMs: 5000 };

const step = (id: string): RecordedStep => ({
  id,
  requestTime: '2026-03-02 01:00:00.000000+00',
  pluginId: 'sens',
  step: { kind: 'SENT', vendorMessageId: `v-${id}` },
});

/** A recorder on a hand-moved clock whose sleeps advance that clock. */
function harness(refusals: number, writers = 1) {
  let now = 0;
  const written: string[][] = [];
  const sleeps: number[] = [];
  const refused: { steps: number; givenUp: boolean }[] = [];
  let left = refusals;
  const recorder = new OutcomeRecorder(
    async (steps) => {
      await Promise.resolve();
      if (left > 0) {
        left -= 1;
        throw new Error('database refused');
      }
      written.push(steps.map((s) => s.id));
    },
    () => now,
    RETRY,
    (_error, steps, givenUp) => refused.push({ steps, givenUp }),
    writers,
    async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  );
  return { recorder, written, sleeps, refused, at: (ms: number) => (now = ms) };
}

describe('OutcomeRecorder', () => {
  it('retries a refused write with doubling backoff and records it once accepted', async () => {
    const h = harness(2);
    await expect(h.recorder.record([step('a'), step('b')], new Date(60_000))).resolves.toBe(true);
    expect(h.written).toEqual([['a', 'b']]);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.refused).toEqual([
      { steps: 2, givenUp: false },
      { steps: 2, givenUp: false },
    ]);
    expect(h.recorder.pending).toBe(0);
  });

  it('gives outcomes up once the next try would fall within the margin before their lease ends', async () => {
    const h = harness(Number.POSITIVE_INFINITY);
    // lease ends at 6,000 ms, margin 5,000 ms: tries at 0 and 100 (wake at 300 is fine), 300, 700; the next wake-up
    // (700 + 800 = 1,500) is past 1,000
    await expect(h.recorder.record([step('a')], new Date(6_000))).resolves.toBe(false);
    expect(h.sleeps).toEqual([100, 200, 400]);
    expect(h.refused.at(-1)).toEqual({ steps: 1, givenUp: true });
    expect(h.written).toEqual([]);
  });

  it('caps the backoff', async () => {
    const h = harness(6);
    await expect(h.recorder.record([step('a')], new Date(3_600_000))).resolves.toBe(true);
    expect(h.sleeps).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('writes outcomes that arrive during a write together in the next one', async () => {
    const h = harness(0);
    const first = h.recorder.record([step('a')], new Date(60_000));
    const second = h.recorder.record([step('b')], new Date(60_000));
    const third = h.recorder.record([step('c'), step('d')], new Date(60_000));
    await expect(Promise.all([first, second, third])).resolves.toEqual([true, true, true]);
    expect(h.written).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps retrying the outcomes whose lease allows it and gives up only the others', async () => {
    const h = harness(3);
    const short = h.recorder.record([step('short')], new Date(5_250));
    const long = h.recorder.record([step('long')], new Date(60_000));
    await expect(short).resolves.toBe(false);
    await expect(long).resolves.toBe(true);
    expect(h.written).toEqual([['long']]);
  });
});
