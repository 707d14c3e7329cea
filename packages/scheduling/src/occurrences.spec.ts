import { describe, it, expect } from '@jest/globals';
import { listOccurrences, nextOccurrences, occurrenceAt } from './occurrences';
import { ScheduleInput, validateSchedule } from './schedule';

const schedule = (input: Partial<ScheduleInput>) =>
  validateSchedule({
    code: 'daily',
    weekdays: 'EVERY_DAY',
    time: '02:30',
    startDate: '2026-01-01',
    endDate: '2026-06-30',
    ...input,
  });
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('nextOccurrences across daylight-saving changes', () => {
  it('America/New_York spring gap: 02:30 does not exist on 2026-03-08 and runs at 03:00 EDT', () => {
    const s = schedule({ timeZone: 'America/New_York', startDate: '2026-03-06', endDate: '2026-03-10' });
    expect(
      listOccurrences(s, new Date('2026-03-01T00:00:00Z'), 10).map((o) => [
        o.instant.toISOString(),
        o.local,
        o.adjustment,
      ]),
    ).toEqual([
      ['2026-03-06T07:30:00.000Z', '2026-03-06 02:30', 'NONE'],
      ['2026-03-07T07:30:00.000Z', '2026-03-07 02:30', 'NONE'],
      ['2026-03-08T07:00:00.000Z', '2026-03-08 03:00', 'DST_GAP_SHIFTED'],
      ['2026-03-09T06:30:00.000Z', '2026-03-09 02:30', 'NONE'],
      ['2026-03-10T06:30:00.000Z', '2026-03-10 02:30', 'NONE'],
    ]);
  });

  it('America/New_York autumn overlap: 01:30 on 2026-11-01 runs once, at the earlier (EDT) instance', () => {
    const s = schedule({
      timeZone: 'America/New_York',
      time: '01:30',
      startDate: '2026-10-31',
      endDate: '2026-11-02',
    });
    expect(
      listOccurrences(s, new Date('2026-10-01T00:00:00Z'), 10).map((o) => [
        o.instant.toISOString(),
        o.date,
        o.adjustment,
      ]),
    ).toEqual([
      ['2026-10-31T05:30:00.000Z', '2026-10-31', 'NONE'],
      ['2026-11-01T05:30:00.000Z', '2026-11-01', 'DST_OVERLAP_EARLIER'],
      ['2026-11-02T06:30:00.000Z', '2026-11-02', 'NONE'],
    ]);
    // a cursor sitting between the two 01:30s (on the earlier one) does not produce the later one
    expect(iso(nextOccurrences(s, new Date('2026-11-01T05:30:00.000Z'), 5))).toEqual([
      '2026-11-02T06:30:00.000Z',
    ]);
    expect(iso(nextOccurrences(s, new Date('2026-11-01T06:00:00.000Z'), 5))).toEqual([
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('Europe/Berlin spring gap and autumn overlap', () => {
    const spring = schedule({ timeZone: 'Europe/Berlin', startDate: '2026-03-28', endDate: '2026-03-30' });
    expect(iso(nextOccurrences(spring, new Date('2026-03-01T00:00:00Z'), 5))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the next valid minute
      '2026-03-30T00:30:00.000Z',
    ]);
    const autumn = schedule({ timeZone: 'Europe/Berlin', startDate: '2026-10-24', endDate: '2026-10-26' });
    expect(iso(nextOccurrences(autumn, new Date('2026-10-01T00:00:00Z'), 5))).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, not 02:30 CET an hour later
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('Asia/Seoul has no DST: the same UTC time all year on the chosen weekdays', () => {
    const s = schedule({
      weekdays: ['MON', 'FRI'],
      time: '09:00',
      startDate: '2026-06-01',
      endDate: '2026-11-30',
    });
    const around = (after: string) => iso(nextOccurrences(s, new Date(after), 2));
    expect(around('2026-06-06T00:00:00Z')).toEqual(['2026-06-08T00:00:00.000Z', '2026-06-12T00:00:00.000Z']);
    expect(around('2026-10-28T00:00:00Z')).toEqual(['2026-10-30T00:00:00.000Z', '2026-11-02T00:00:00.000Z']);
  });
});

describe('nextOccurrences within the period', () => {
  const s = schedule({
    weekdays: ['TUE', 'SAT'],
    time: '10:00',
    startDate: '2026-03-05',
    endDate: '2026-03-21',
  });

  it('starts at startDate when asked from before it, and stops at endDate (included)', () => {
    // 2026-03-05 is a Thursday; TUE/SAT in the period: 7, 10, 14, 17, 21
    expect(listOccurrences(s, new Date('2026-01-01T00:00:00Z'), 10).map((o) => o.date)).toEqual([
      '2026-03-07',
      '2026-03-10',
      '2026-03-14',
      '2026-03-17',
      '2026-03-21',
    ]);
  });

  it('is strictly after `after`: an occurrence instant itself is excluded, a millisecond before it is not', () => {
    const at = new Date('2026-03-10T01:00:00.000Z'); // 10:00 KST
    expect(iso(nextOccurrences(s, at, 1))).toEqual(['2026-03-14T01:00:00.000Z']);
    expect(iso(nextOccurrences(s, new Date(at.getTime() - 1), 1))).toEqual(['2026-03-10T01:00:00.000Z']);
  });

  it('returns fewer than asked when the period ends, none after it', () => {
    expect(nextOccurrences(s, new Date('2026-03-15T00:00:00Z'), 10)).toHaveLength(2);
    expect(nextOccurrences(s, new Date('2026-03-21T01:00:00.000Z'), 10)).toEqual([]);
    expect(nextOccurrences(s, new Date('2026-03-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('a leap day is an ordinary day of the period', () => {
    const leap = schedule({
      weekdays: ['TUE'],
      time: '08:00',
      startDate: '2028-02-29',
      endDate: '2028-08-29',
    });
    const all = listOccurrences(leap, new Date('2028-01-01T00:00:00Z'), 100);
    expect(all[0]?.date).toBe('2028-02-29'); // a Tuesday
    expect(all.at(-1)?.date).toBe('2028-08-29'); // also a Tuesday: the last day of the period
    expect(all).toHaveLength(27);
  });

  it.each([-1, 1.5, Number.NaN])('count %p is refused', (count) => {
    expect(() => nextOccurrences(s, new Date(), count)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'count' }),
    );
  });

  it('refuses an invalid `after`', () => {
    expect(() => nextOccurrences(s, new Date(Number.NaN), 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'after' }),
    );
  });
});

describe('occurrenceAt', () => {
  const s = schedule({ timeZone: 'America/New_York', startDate: '2026-03-06', endDate: '2026-03-10' });
  it('finds the occurrence at an instant, including a DST-shifted one, and nothing a minute off', () => {
    expect(occurrenceAt(s, new Date('2026-03-08T07:00:00.000Z'))?.adjustment).toBe('DST_GAP_SHIFTED');
    expect(occurrenceAt(s, new Date('2026-03-08T07:01:00.000Z'))).toBeNull();
    expect(occurrenceAt(s, new Date('2026-03-11T06:30:00.000Z'))).toBeNull(); // after the period
  });
});
