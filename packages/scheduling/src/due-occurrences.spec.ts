import { describe, it, expect } from '@jest/globals';
import { dueOccurrences } from './due-occurrences';
import { updateSchedule, validateSchedule } from './schedule';

// Daily at 09:00 in Seoul (00:00 UTC) from 2026-03-01 to 2026-03-05.
const schedule = validateSchedule({
  code: 'daily',
  weekdays: 'EVERY_DAY',
  time: '09:00',
  startDate: '2026-03-01',
  endDate: '2026-03-05',
});
const utc = (text: string) => new Date(text);
const iso = (list: { instant: Date }[]) => list.map((o) => o.instant.toISOString());

describe('dueOccurrences', () => {
  it('nothing due before the first occurrence: it says when the next one is', () => {
    const result = dueOccurrences(schedule, utc('2026-02-20T00:00:00Z'), utc('2026-02-28T23:59:59.999Z'));
    expect(result).toMatchObject({ fire: [], stale: [], skip: [], ended: false, skipReason: null });
    expect(result.next?.instant.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(result.cursor.toISOString()).toBe('2026-02-20T00:00:00.000Z');
  });

  it.each([
    ['2026-03-01T00:00:00.000Z', 'fire'], // exactly due
    ['2026-03-01T00:10:00.000Z', 'fire'], // due + 10:00.000 still fires
    ['2026-03-01T00:10:00.001Z', 'stale'], // due + 10:00.001 is stale
  ])('at %s the 03-01 occurrence is %s', (now, bucket) => {
    const result = dueOccurrences(schedule, utc('2026-02-28T00:00:00Z'), utc(now));
    expect(iso(result[bucket as 'fire' | 'stale'])).toEqual(['2026-03-01T00:00:00.000Z']);
    expect(result.cursor.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(result.next?.instant.toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('after an outage, older occurrences are stale and only the one within grace fires', () => {
    const result = dueOccurrences(schedule, utc('2026-02-28T00:00:00Z'), utc('2026-03-03T00:05:00Z'));
    expect(iso(result.stale)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    expect(iso(result.fire)).toEqual(['2026-03-03T00:00:00.000Z']);
    expect(result.cursor.toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('continues from the cursor: a handled occurrence is not offered again', () => {
    const first = dueOccurrences(schedule, utc('2026-02-28T00:00:00Z'), utc('2026-03-02T00:01:00Z'));
    const again = dueOccurrences(schedule, first.cursor, utc('2026-03-02T00:02:00Z'));
    expect(again.fire).toEqual([]);
    expect(again.stale).toEqual([]);
  });

  it('honours a custom grace window', () => {
    const result = dueOccurrences(schedule, utc('2026-02-28T00:00:00Z'), utc('2026-03-01T00:00:31Z'), 30_000);
    expect(iso(result.stale)).toEqual(['2026-03-01T00:00:00.000Z']);
  });

  it('says the schedule has ended after its last occurrence', () => {
    const last = dueOccurrences(schedule, utc('2026-03-04T00:00:00Z'), utc('2026-03-05T00:00:00Z'));
    expect(iso(last.fire)).toEqual(['2026-03-05T00:00:00.000Z']);
    expect(last).toMatchObject({ ended: true, next: null });
    expect(dueOccurrences(schedule, utc('2026-03-05T00:00:00Z'), utc('2026-04-01T00:00:00Z'))).toMatchObject({
      fire: [],
      stale: [],
      ended: true,
    });
  });

  it('a disabled schedule skips what is due, whatever its lateness', () => {
    const disabled = updateSchedule(schedule, { enabled: false });
    const result = dueOccurrences(disabled, utc('2026-02-28T00:00:00Z'), utc('2026-03-02T00:00:00Z'));
    expect(iso(result.skip)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    expect(result).toMatchObject({ fire: [], stale: [], skipReason: 'SCHEDULE_DISABLED', ended: false });
  });

  it('fires the New York autumn-overlap occurrence once', () => {
    const ny = validateSchedule({
      code: 'ny',
      weekdays: ['SUN'],
      time: '01:30',
      timeZone: 'America/New_York',
      startDate: '2026-10-01',
      endDate: '2026-11-30',
    });
    const early = dueOccurrences(ny, utc('2026-10-30T00:00:00Z'), utc('2026-11-01T05:30:00Z'));
    expect(iso(early.fire)).toEqual(['2026-11-01T05:30:00.000Z']);
    // an hour later the clock shows 01:30 again (EST): nothing more fires
    const later = dueOccurrences(ny, early.cursor, utc('2026-11-01T06:30:00Z'));
    expect(later.fire).toEqual([]);
    expect(later.next?.instant.toISOString()).toBe('2026-11-08T06:30:00.000Z');
  });

  it('fires the Berlin spring-gap occurrence at the next valid minute (03:00 CEST), not before', () => {
    const berlin = validateSchedule({
      code: 'berlin',
      weekdays: ['SUN'],
      time: '02:30',
      timeZone: 'Europe/Berlin',
      startDate: '2026-03-01',
      endDate: '2026-04-30',
    });
    const cursor = utc('2026-03-22T01:30:00Z'); // the previous Sunday's 02:30 CET, already handled
    const before = dueOccurrences(berlin, cursor, utc('2026-03-29T00:59:59.999Z'));
    expect(before.fire).toEqual([]);
    expect(before.next).toMatchObject({ local: '2026-03-29 03:00', adjustment: 'DST_GAP_SHIFTED' });
    const at = dueOccurrences(berlin, cursor, utc('2026-03-29T01:00:00Z'));
    expect(iso(at.fire)).toEqual(['2026-03-29T01:00:00.000Z']);
    expect(at.next?.instant.toISOString()).toBe('2026-04-05T00:30:00.000Z'); // 02:30 CEST
  });

  it('refuses bad arguments', () => {
    expect(() => dueOccurrences(schedule, new Date(Number.NaN), new Date())).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'after' }),
    );
    expect(() => dueOccurrences(schedule, new Date(), new Date(), -5)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'graceMs' }),
    );
  });
});
