import { describe, expect, it } from '@jest/globals';
import { DISPATCH_LATENCY_BUCKETS, MetricTally } from './metric-counts';

const rows = (tally: MetricTally) => {
  const [metric, plugin, type, state, value] = tally.columns();
  return metric.map((m, i) => [m, plugin[i], type[i], state[i], value[i]]);
};

describe('MetricTally', () => {
  it('sums a batch into one row per key, whatever the number of messages', () => {
    const tally = new MetricTally();
    for (let i = 0; i < 500; i += 1) tally.add('message_state', 'sens', 'SMS', 'SENT');
    tally.add('message_state', 'sens', 'LMS', 'SENT');
    tally.add('message_state', 'omni', 'SMS', 'SENT', 3);
    expect(tally.size).toBe(3);
    expect(rows(tally)).toEqual([
      ['message_state', 'sens', 'SMS', 'SENT', 500],
      ['message_state', 'sens', 'LMS', 'SENT', 1],
      ['message_state', 'omni', 'SMS', 'SENT', 3],
    ]);
  });

  it('puts a latency in the first bucket that holds it: a bound belongs to its own bucket', () => {
    const bucketOf = (seconds: number) => {
      const tally = new MetricTally();
      tally.addLatency('sens', 'SMS', seconds);
      return rows(tally).find((r) => r[0] === 'dispatch_latency')![3];
    };
    expect(bucketOf(-3)).toBe('0.05'); // a clock step back counts as no wait
    expect(bucketOf(0.05)).toBe('0.05');
    expect(bucketOf(0.0501)).toBe('0.1');
    expect(bucketOf(1800)).toBe('1800');
    expect(bucketOf(1800.001)).toBe('+Inf');
    expect(DISPATCH_LATENCY_BUCKETS).toHaveLength(12);
  });

  it('adds the latencies in whole milliseconds to one sum row', () => {
    const tally = new MetricTally();
    tally.addLatency('sens', 'SMS', 0.0004); // rounds to 0 ms
    tally.addLatency('sens', 'SMS', 0.0015); // 2 ms
    tally.addLatency('sens', 'SMS', 2);
    expect(rows(tally)).toEqual([
      ['dispatch_latency', 'sens', 'SMS', '0.05', 2],
      ['dispatch_latency_sum_ms', 'sens', 'SMS', '', 2002],
      ['dispatch_latency', 'sens', 'SMS', '2.5', 1],
    ]);
  });
});
