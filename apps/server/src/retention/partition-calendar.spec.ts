import { describe, expect, it } from '@jest/globals';
import { parsePartitionName, partitionDay, planPartitions, retentionCutoff } from './partition-calendar';

describe('partition calendar', () => {
  it('names a UTC day and bounds it [start, end)', () => {
    expect(partitionDay(new Date('2026-03-01T23:59:59.999Z'))).toEqual({
      name: 'messages_p20260301',
      start: new Date('2026-03-01T00:00:00Z'),
      end: new Date('2026-03-02T00:00:00Z'),
    });
    expect(partitionDay(new Date('2026-03-02T00:00:00Z')).name).toBe('messages_p20260302');
  });

  it('reads back only its own names', () => {
    expect(parsePartitionName('messages_p20260229')).toBeNull(); // no such day
    expect(parsePartitionName('messages_default')).toBeNull();
    expect(parsePartitionName('messages_p2026031')).toBeNull();
    expect(parsePartitionName('messages_p20240229')?.start).toEqual(new Date('2024-02-29T00:00:00Z'));
  });

  it('creates today and the days ahead that are missing', () => {
    const plan = planPartitions({
      now: new Date('2026-03-02T10:00:00Z'),
      retentionDays: 30,
      daysAhead: 2,
      existing: ['messages_default', 'messages_p20260303'],
    });
    expect(plan.create.map((d) => d.name)).toEqual(['messages_p20260302', 'messages_p20260304']);
  });

  it('expires a day only once all of it is older than the retention', () => {
    const now = new Date('2026-03-31T10:00:00Z');
    expect(retentionCutoff(now, 30)).toEqual(new Date('2026-03-01T10:00:00Z'));
    const plan = planPartitions({
      now,
      retentionDays: 30,
      daysAhead: 0,
      existing: ['messages_p20260301', 'messages_p20260228', 'messages_p20260227', 'messages_p20260331'],
    });
    // 2026-03-01 still holds rows from after 10:00 that are within the retention.
    expect(plan.expired.map((d) => d.name)).toEqual(['messages_p20260227', 'messages_p20260228']);
  });
});
