import { describe, it, expect } from '@jest/globals';
import { parseWallTime, resolveWallTime } from '@munja/scheduling';
import fc from 'fast-check';
import { isInNightWindow } from './night-window';
import { parseReserveTime } from './send-time';
import { codeOf } from './codes.test-helpers';

// Hand-written wall-clock spellings of the four night-window edges (no luxon in the oracle).
// January: Seoul UTC+9, New York EST UTC-5 (Seoul − 14 h). July: New York EDT UTC-4 (Seoul − 13 h).
// prettier-ignore
const EDGES: [string, string, string, string, string, boolean][] = [
  // seoul local        UTC ISO                  UTC local            New York local       New York ISO with offset      night
  ['2026-01-15 20:59', '2026-01-15T11:59:00Z', '2026-01-15 11:59', '2026-01-15 06:59', '2026-01-15T06:59:00-05:00', false],
  ['2026-01-15 21:00', '2026-01-15T12:00:00Z', '2026-01-15 12:00', '2026-01-15 07:00', '2026-01-15T07:00:00-05:00', true],
  ['2026-01-16 07:59', '2026-01-15T22:59:00Z', '2026-01-15 22:59', '2026-01-15 17:59', '2026-01-15T17:59:00-05:00', true],
  ['2026-01-16 08:00', '2026-01-15T23:00:00Z', '2026-01-15 23:00', '2026-01-15 18:00', '2026-01-15T18:00:00-05:00', false],
  ['2026-07-15 20:59', '2026-07-15T11:59:00Z', '2026-07-15 11:59', '2026-07-15 07:59', '2026-07-15T07:59:00-04:00', false],
  ['2026-07-15 21:00', '2026-07-15T12:00:00Z', '2026-07-15 12:00', '2026-07-15 08:00', '2026-07-15T08:00:00-04:00', true],
  ['2026-07-16 07:59', '2026-07-15T22:59:00Z', '2026-07-15 22:59', '2026-07-15 18:59', '2026-07-15T18:59:00-04:00', true],
  ['2026-07-16 08:00', '2026-07-15T23:00:00Z', '2026-07-15 23:00', '2026-07-15 19:00', '2026-07-15T19:00:00-04:00', false],
];

describe('reservation times in any zone, judged in Seoul', () => {
  it.each(EDGES)('%s Seoul = %s', (seoul, utcIso, utcLocal, nyLocal, nyIso, night) => {
    const instants = [
      parseReserveTime(seoul),
      parseReserveTime(seoul, 'Asia/Seoul'),
      parseReserveTime(utcIso),
      parseReserveTime(utcIso, 'America/New_York'), // an explicit offset wins over the zone
      parseReserveTime(utcLocal, 'UTC'),
      parseReserveTime(nyLocal, 'America/New_York'),
      parseReserveTime(nyIso),
      parseReserveTime(nyIso.slice(0, 19), 'America/New_York'), // ISO without offset, read in the zone
    ];
    for (const at of instants) {
      expect(at.toISOString()).toBe(new Date(utcIso).toISOString());
      expect(isInNightWindow(at)).toBe(night);
    }
  });

  it.each([
    ['tomorrow', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['2026-13-01 10:00', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['2026-01-15 24:30', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['2026-01-15 10:00', 'Nowhere/City', 'INVALID_SEND_TIME@reserveTimeZone'],
    ['2026-01-15 10:00', '+09:00', 'INVALID_SEND_TIME@reserveTimeZone'],
    ['2026-02-30 10:00', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['2026-02-30T10:00', undefined, 'INVALID_SEND_TIME@reserveTime'],
    ['1969-12-31 23:00', 'UTC', 'INVALID_SEND_TIME@reserveTime'],
  ])('%j in %s → %s', (text, zone, code) => {
    expect(codeOf(() => parseReserveTime(text, zone))).toBe(code);
  });
});

describe("daylight saving: @munja/scheduling's rule, the one every reservation follows", () => {
  it.each([
    // a skipped time: the first minute after the jump (02:30 EST does not exist → 03:00 EDT), not luxon's 03:30
    ['2026-03-08 02:30', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['2026-03-08T02:30', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['2026-03-08T02:30:45.500', 'America/New_York', '2026-03-08T07:00:45.500Z'],
    ['2026-03-29 02:15', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
    // a repeated time: the earlier instant, before the clocks went back
    ['2026-11-01 01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-10-25 02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25 01:30', 'Europe/London', '2026-10-25T00:30:00.000Z'],
    ['2026-04-05 02:30', 'Australia/Sydney', '2026-04-04T15:30:00.000Z'],
    // an explicit offset names its own instant, whatever the zone
    ['2026-03-08T02:30:00-05:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['2026-11-01T01:30:00-05:00', 'America/New_York', '2026-11-01T06:30:00.000Z'],
  ])('%s in %s → %s', (text, zone, instant) => {
    expect(parseReserveTime(text, zone).toISOString()).toBe(instant);
  });

  it('agrees with resolveWallTime for any wall time, around every change of the clocks in particular', () => {
    // the days the clocks change in 2026, so that gaps and repeated hours come up in most runs
    const changes: Record<string, readonly string[]> = {
      'America/New_York': ['2026-03-08', '2026-11-01'],
      'Europe/Berlin': ['2026-03-29', '2026-10-25'],
      'Australia/Sydney': ['2026-04-05', '2026-10-04'],
      'America/Santiago': ['2026-04-05', '2026-09-06'],
      'Asia/Seoul': ['2026-03-08'],
    };
    const pad = (n: number) => String(n).padStart(2, '0');
    const nearChange = fc
      .constantFrom(...Object.keys(changes))
      .chain((zone) =>
        fc.tuple(
          fc.constant(zone),
          fc.constantFrom(...changes[zone]!),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 59 }),
        ),
      )
      .map(([zone, day, hour, minute]) => ({ zone, text: `${day} ${pad(hour)}:${pad(minute)}` }));
    const anyTime = fc
      .tuple(
        fc.constantFrom(...Object.keys(changes)),
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2028-12-31T23:59:00Z'),
          noInvalidDate: true,
        }),
      )
      .map(([zone, d]) => ({ zone, text: d.toISOString().slice(0, 16).replace('T', ' ') }));
    fc.assert(
      fc.property(fc.oneof(nearChange, anyTime), ({ zone, text }) => {
        const expected = resolveWallTime(parseWallTime(text, 'reserveTime'), zone).instant.getTime();
        expect(parseReserveTime(text, zone).getTime()).toBe(expected);
        expect(parseReserveTime(text.replace(' ', 'T'), zone).getTime()).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
