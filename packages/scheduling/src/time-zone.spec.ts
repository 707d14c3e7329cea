import { describe, it, expect } from '@jest/globals';
import { canonicalTimeZone } from './time-zone';

describe('canonicalTimeZone', () => {
  it.each([
    ['Asia/Seoul', 'Asia/Seoul'],
    ['asia/seoul', 'Asia/Seoul'],
    ['EUROPE/BERLIN', 'Europe/Berlin'],
    ['UTC', 'UTC'],
  ])('%p → %p (and the same when asked again)', (zone, canonical) => {
    expect(canonicalTimeZone(zone, 'timeZone')).toBe(canonical);
    expect(canonicalTimeZone(zone, 'timeZone')).toBe(canonical);
  });

  it.each(['', ' ', 'KST', '+09:00', 'UTC+9', 'Mars/Olympus', 42, null, undefined])('refuses %p', (zone) => {
    expect(() => canonicalTimeZone(zone, 'reserveTimeZone')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_TIME_ZONE', field: 'reserveTimeZone' }),
    );
  });
});
