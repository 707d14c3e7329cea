import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { SchedulingError } from './scheduling-error';
import { formatLocal, parseCalendarDate, parseClockTime, parseWallTime, resolveWallTime } from './wall-time';

const at = (text: string, zone: string) => resolveWallTime(parseWallTime(text, 'reserveTime'), zone);

describe('resolveWallTime', () => {
  it.each([
    // America/New_York: spring gap 2026-03-08 02:00–02:59 does not exist; autumn 2026-11-01 01:00–01:59 twice
    ['2026-03-08 01:59', 'America/New_York', '2026-03-08T06:59:00.000Z', '2026-03-08 01:59', 'NONE'],
    [
      '2026-03-08 02:00',
      'America/New_York',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08 03:00',
      'DST_GAP_SHIFTED',
    ],
    [
      '2026-03-08 02:30',
      'America/New_York',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08 03:00',
      'DST_GAP_SHIFTED',
    ],
    [
      '2026-03-08 02:59',
      'America/New_York',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08 03:00',
      'DST_GAP_SHIFTED',
    ],
    ['2026-03-08 03:00', 'America/New_York', '2026-03-08T07:00:00.000Z', '2026-03-08 03:00', 'NONE'],
    ['2026-11-01 00:59', 'America/New_York', '2026-11-01T04:59:00.000Z', '2026-11-01 00:59', 'NONE'],
    [
      '2026-11-01 01:00',
      'America/New_York',
      '2026-11-01T05:00:00.000Z',
      '2026-11-01 01:00',
      'DST_OVERLAP_EARLIER',
    ],
    [
      '2026-11-01 01:30',
      'America/New_York',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01 01:30',
      'DST_OVERLAP_EARLIER',
    ],
    [
      '2026-11-01 01:59',
      'America/New_York',
      '2026-11-01T05:59:00.000Z',
      '2026-11-01 01:59',
      'DST_OVERLAP_EARLIER',
    ],
    ['2026-11-01 02:00', 'America/New_York', '2026-11-01T07:00:00.000Z', '2026-11-01 02:00', 'NONE'],
    // Europe/Berlin: 2026-03-29 02:00–02:59 missing; 2026-10-25 02:00–02:59 twice
    ['2026-03-29 01:59', 'Europe/Berlin', '2026-03-29T00:59:00.000Z', '2026-03-29 01:59', 'NONE'],
    ['2026-03-29 02:30', 'Europe/Berlin', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00', 'DST_GAP_SHIFTED'],
    ['2026-03-29 03:00', 'Europe/Berlin', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00', 'NONE'],
    [
      '2026-10-25 02:00',
      'Europe/Berlin',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25 02:00',
      'DST_OVERLAP_EARLIER',
    ],
    [
      '2026-10-25 02:30',
      'Europe/Berlin',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25 02:30',
      'DST_OVERLAP_EARLIER',
    ],
    ['2026-10-25 03:00', 'Europe/Berlin', '2026-10-25T02:00:00.000Z', '2026-10-25 03:00', 'NONE'],
    // Asia/Seoul: no DST, a fixed +09:00 all year
    ['2026-03-08 02:30', 'Asia/Seoul', '2026-03-07T17:30:00.000Z', '2026-03-08 02:30', 'NONE'],
    ['2026-11-01 01:30', 'Asia/Seoul', '2026-10-31T16:30:00.000Z', '2026-11-01 01:30', 'NONE'],
    ['2026-07-01 09:00', 'Asia/Seoul', '2026-07-01T00:00:00.000Z', '2026-07-01 09:00', 'NONE'],
    // a half-hour change (Australia/Lord_Howe) and a skipped day (Pacific/Apia, 2011-12-30)
    [
      '2026-10-04 02:15',
      'Australia/Lord_Howe',
      '2026-10-03T15:30:00.000Z',
      '2026-10-04 02:30',
      'DST_GAP_SHIFTED',
    ],
    ['2011-12-30 10:00', 'Pacific/Apia', '2011-12-30T10:00:00.000Z', '2011-12-31 00:00', 'DST_GAP_SHIFTED'],
  ])('%s in %s → %s (%s, %s)', (text, zone, iso, local, adjustment) => {
    const resolved = at(text, zone);
    expect(resolved.instant.toISOString()).toBe(iso);
    expect(resolved.local).toBe(local);
    expect(resolved.adjustment).toBe(adjustment);
  });

  // Days on which each zone changes its clocks in 2026 (and the evening before, for Santiago's midnight changes).
  const changeDays: Record<string, string[]> = {
    'America/New_York': ['2026-03-08', '2026-11-01'],
    'Europe/Berlin': ['2026-03-29', '2026-10-25'],
    'Asia/Seoul': ['2026-03-08', '2026-11-01'],
    'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
    'America/Santiago': ['2026-04-04', '2026-09-06'],
  };

  it('America/Santiago changes at midnight: 00:30 on 2026-09-06 runs at 01:00, 23:30 on 2026-04-04 once', () => {
    expect(at('2026-09-06 00:30', 'America/Santiago')).toMatchObject({
      local: '2026-09-06 01:00',
      adjustment: 'DST_GAP_SHIFTED',
    });
    expect(at('2026-04-04 23:30', 'America/Santiago')).toMatchObject({
      instant: new Date('2026-04-05T02:30:00.000Z'),
      adjustment: 'DST_OVERLAP_EARLIER',
    });
  });

  // The oracle: the instant is the first minute whose wall reading (luxon's formatting) is at or after the request.
  it('property: the first minute reading at or after the requested wall time', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const anyDay = fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc
          .constantFrom(...Object.keys(changeDays))
          .chain((zone) =>
            fc.tuple(
              fc.constant(zone),
              fc.oneof(fc.constantFrom(...(changeDays[zone] as string[])), anyDay),
              fc.oneof(
                fc.integer({ min: 0, max: 3 }),
                fc.integer({ min: 22, max: 23 }),
                fc.integer({ min: 0, max: 23 }),
              ),
              fc.integer({ min: 0, max: 59 }),
            ),
          ),
        ([zone, day, hour, minute]) => {
          const requested = `${day} ${pad(hour)}:${pad(minute)}`;
          const resolved = at(requested, zone);
          const t = resolved.instant.getTime();
          expect(t % 60_000).toBe(0);
          expect(formatLocal(t, zone) >= requested).toBe(true);
          for (let k = 1; k <= 150; k++) expect(formatLocal(t - k * 60_000, zone) < requested).toBe(true);
          expect(resolved.adjustment === 'DST_GAP_SHIFTED').toBe(resolved.local !== requested);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('parsing', () => {
  it.each([
    ['2026-02-30 10:00', 'INVALID_DATE'],
    ['2026-13-01 10:00', 'INVALID_DATE'],
    ['2026-00-10 10:00', 'INVALID_DATE'],
    ['2027-02-29 10:00', 'INVALID_DATE'],
    ['1969-12-31 23:59', 'INVALID_DATE'], // before the supported years
    ['0050-01-01 10:00', 'INVALID_DATE'],
    ['2026-02-10 24:00', 'INVALID_TIME'],
    ['2026-02-10 12:60', 'INVALID_TIME'],
    ['2026-2-10 12:00', 'INVALID_FORMAT'],
    ['2026-02-10T12:00', 'INVALID_FORMAT'],
    ['2026-02-10 12:00:00', 'INVALID_FORMAT'],
    [' 2026-02-10 12:00', 'INVALID_FORMAT'],
    ['', 'INVALID_FORMAT'],
    [20260210, 'INVALID_FORMAT'],
  ])('parseWallTime(%p) → %s', (text, code) => {
    expect(() => parseWallTime(text, 'reserveTime')).toThrow(
      expect.objectContaining({ code, field: 'reserveTime' }),
    );
  });

  it('accepts 1970, a leap day and the last minute of a day', () => {
    expect(parseWallTime('1970-01-01 00:00', 'f')).toEqual({
      year: 1970,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
    });
    expect(parseWallTime('2028-02-29 23:59', 'f')).toEqual({
      year: 2028,
      month: 2,
      day: 29,
      hour: 23,
      minute: 59,
    });
  });

  it('parses dates and clock times strictly', () => {
    expect(parseCalendarDate('2028-02-29', 'startDate')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(() => parseCalendarDate('2026-02-29', 'startDate')).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE', field: 'startDate' }),
    );
    expect(() => parseCalendarDate('2026/02/01', 'startDate')).toThrow(SchedulingError);
    expect(parseClockTime('00:00', 'time')).toEqual({ hour: 0, minute: 0 });
    expect(() => parseClockTime('9:00', 'time')).toThrow(expect.objectContaining({ code: 'INVALID_FORMAT' }));
    expect(() => parseClockTime('23:60', 'time')).toThrow(expect.objectContaining({ code: 'INVALID_TIME' }));
  });
});
