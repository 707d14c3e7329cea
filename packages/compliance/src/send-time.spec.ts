import { describe, it, expect } from '@jest/globals';
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
  ])('%j in %s → %s', (text, zone, code) => {
    expect(codeOf(() => parseReserveTime(text, zone))).toBe(code);
  });
});
