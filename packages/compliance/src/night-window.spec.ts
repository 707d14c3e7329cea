import { describe, it, expect } from '@jest/globals';
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { isInNightWindow, judgeNightWindow, nightWindowEnd } from './night-window';
import { codeOf } from './codes.test-helpers';

/** The same instant written in Seoul, in UTC and in New York: the answer must not depend on the writing. */
function spellings(seoulLocal: string): [string, Date][] {
  const at = DateTime.fromISO(seoulLocal, { zone: 'Asia/Seoul' });
  return [
    ['Asia/Seoul', at.toJSDate()],
    ['UTC', DateTime.fromISO(at.toUTC().toISO()!, { setZone: true }).toJSDate()],
    [
      'America/New_York',
      DateTime.fromISO(at.setZone('America/New_York').toISO()!, { setZone: true }).toJSDate(),
    ],
  ];
}

describe('night window 21:00–08:00 Asia/Seoul', () => {
  // January (New York on EST) and July (New York on EDT): the Seoul answer is the same.
  const edges: [string, boolean][] = [
    ['2026-01-15T20:59:00', false],
    ['2026-01-15T20:59:59.999', false],
    ['2026-01-15T21:00:00', true],
    ['2026-01-16T07:59:00', true],
    ['2026-01-16T07:59:59.999', true],
    ['2026-01-16T08:00:00', false],
    ['2026-07-15T20:59:00', false],
    ['2026-07-15T21:00:00', true],
    ['2026-07-16T00:00:00', true],
    ['2026-07-16T07:59:00', true],
    ['2026-07-16T08:00:00', false],
    ['2026-07-16T12:00:00', false],
  ];
  const cases = edges.flatMap(([local, night]) =>
    spellings(local).map(([zone, at]) => [local, zone, at, night] as const),
  );

  it.each(cases)('%s Seoul written in %s → night %s', (_local, _zone, at, night) => {
    expect(isInNightWindow(at)).toBe(night);
  });

  it('the spellings really are different wall-clock times of one instant', () => {
    const at = DateTime.fromISO('2026-01-15T21:00:00', { zone: 'Asia/Seoul' });
    expect(at.toUTC().toISO()).toBe('2026-01-15T12:00:00.000Z');
    expect(at.setZone('America/New_York').toISO()).toBe('2026-01-15T07:00:00.000-05:00');
    expect(DateTime.fromISO('2026-01-15T07:00:00-05:00').toJSDate()).toEqual(at.toJSDate());
  });

  it.each([
    ['2026-01-15T21:00:00', '2026-01-15T23:00:00.000Z'],
    ['2026-01-15T23:59:00', '2026-01-15T23:00:00.000Z'],
    ['2026-01-16T00:00:00', '2026-01-15T23:00:00.000Z'],
    ['2026-01-16T07:59:00', '2026-01-15T23:00:00.000Z'],
    ['2026-12-31T22:00:00', '2026-12-31T23:00:00.000Z'],
  ])('defer from %s Seoul → next 08:00 Seoul (%s)', (local, expected) => {
    for (const [, at] of spellings(local)) {
      expect(judgeNightWindow(at, 'defer')).toEqual({ sendAt: expected, deferred: true });
      expect(nightWindowEnd(at).toISOString()).toBe(expected);
    }
  });

  it.each(['2026-01-15T20:59:00', '2026-01-16T08:00:00'])(
    'by day (%s) nothing moves, under either policy',
    (local) => {
      for (const [, at] of spellings(local)) {
        expect(judgeNightWindow(at, 'defer')).toEqual({ sendAt: at.toISOString(), deferred: false });
        expect(judgeNightWindow(at, 'reject')).toEqual({ sendAt: at.toISOString(), deferred: false });
      }
    },
  );

  it.each(['2026-01-15T21:00:00', '2026-01-16T07:59:00'])('reject at %s Seoul names the field', (local) => {
    for (const [, at] of spellings(local)) {
      expect(codeOf(() => judgeNightWindow(at, 'reject'))).toBe('AD_NIGHT_WINDOW@reserveTime');
      expect(codeOf(() => judgeNightWindow(at, 'reject', 'sendAt'))).toBe('AD_NIGHT_WINDOW@sendAt');
    }
  });

  it('refuses an invalid time', () => {
    expect(codeOf(() => isInNightWindow(new Date(Number.NaN)))).toBe('INVALID_SEND_TIME@sendAt');
  });

  it('property: a deferred time is outside the window, not earlier, and at most 11 hours later', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (at) => {
          const end = nightWindowEnd(at);
          expect(isInNightWindow(end)).toBe(false);
          expect(end.getTime()).toBeGreaterThanOrEqual(at.getTime());
          expect(end.getTime() - at.getTime()).toBeLessThanOrEqual(11 * 3600_000);
          if (end.getTime() !== at.getTime()) {
            expect(DateTime.fromJSDate(end, { zone: 'Asia/Seoul' }).toFormat('HH:mm:ss.SSS')).toBe(
              '08:00:00.000',
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
