import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { resolveReserveTime } from './reserve-time';
import { SchedulingError } from './scheduling-error';
import { formatLocal, parseWallTime, resolveWallTime } from './wall-time';

const now = new Date('2026-03-01T00:00:00.000Z'); // 09:00 in Seoul

describe('resolveReserveTime', () => {
  it('reads the wall time in Asia/Seoul by default', () => {
    expect(resolveReserveTime({ reserveTime: '2026-03-01 09:01' }, { now })).toEqual({
      instant: new Date('2026-03-01T00:01:00.000Z'),
      zone: 'Asia/Seoul',
      local: '2026-03-01 09:01',
      requested: '2026-03-01 09:01',
      adjustment: 'NONE',
    });
  });

  it('canonicalizes the zone name', () => {
    expect(
      resolveReserveTime({ reserveTime: '2026-03-02 09:00', reserveTimeZone: 'asia/seoul' }, { now }).zone,
    ).toBe('Asia/Seoul');
  });

  it.each([
    [
      'America/New_York',
      '2026-03-08 02:30',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08 03:00',
      'DST_GAP_SHIFTED',
    ],
    [
      'America/New_York',
      '2026-11-01 01:30',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01 01:30',
      'DST_OVERLAP_EARLIER',
    ],
    ['Europe/Berlin', '2026-03-29 02:30', '2026-03-29T01:00:00.000Z', '2026-03-29 03:00', 'DST_GAP_SHIFTED'],
    [
      'Europe/Berlin',
      '2026-10-25 02:30',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25 02:30',
      'DST_OVERLAP_EARLIER',
    ],
    ['Asia/Seoul', '2026-03-08 02:30', '2026-03-07T17:30:00.000Z', '2026-03-08 02:30', 'NONE'],
  ])('in %s, %s → %s (%s, %s)', (zone, reserveTime, iso, local, adjustment) => {
    const resolved = resolveReserveTime({ reserveTime, reserveTimeZone: zone }, { now, horizonDays: 300 });
    expect(resolved).toMatchObject({ zone, local, adjustment, requested: reserveTime });
    expect(resolved.instant.toISOString()).toBe(iso);
  });

  describe('must be strictly in the future', () => {
    it.each([
      ['2026-03-01 09:00', 'RESERVE_TIME_IN_PAST'], // exactly now
      ['2026-02-28 23:59', 'RESERVE_TIME_IN_PAST'],
    ])('%s at 09:00 Seoul → %s', (reserveTime, code) => {
      expect(() => resolveReserveTime({ reserveTime }, { now })).toThrow(
        expect.objectContaining({ code, field: 'reserveTime' }),
      );
    });

    it('one millisecond after now is the future', () => {
      const justBefore = new Date('2026-03-01T00:00:59.999Z');
      expect(resolveReserveTime({ reserveTime: '2026-03-01 09:01' }, { now: justBefore }).adjustment).toBe(
        'NONE',
      );
      expect(() =>
        resolveReserveTime(
          { reserveTime: '2026-03-01 09:01' },
          { now: new Date('2026-03-01T00:01:00.000Z') },
        ),
      ).toThrow(expect.objectContaining({ code: 'RESERVE_TIME_IN_PAST' }));
    });
  });

  describe('horizon: at most horizonDays × 24 h ahead, the horizon itself included', () => {
    // now + 180 days = 2026-08-28T00:00Z = 2026-08-28 09:00 in Seoul
    it.each([
      ['2026-08-28 08:59', null],
      ['2026-08-28 09:00', null],
      ['2026-08-28 09:01', 'RESERVE_TIME_BEYOND_HORIZON'],
    ])('%s → %s', (reserveTime, code) => {
      const run = () => resolveReserveTime({ reserveTime }, { now });
      if (code === null)
        expect(run().instant.getTime()).toBeLessThanOrEqual(now.getTime() + 180 * 86_400_000);
      else
        expect(run).toThrow(
          expect.objectContaining({ code, field: 'reserveTime', details: expect.anything() }),
        );
    });

    it('is a fixed duration even across a DST change (New York, spring)', () => {
      const nyNow = new Date('2026-03-01T05:00:00.000Z'); // 00:00 EST
      // 10 × 24 h later is 2026-03-11T05:00Z = 01:00 EDT (the clocks moved forward in between)
      expect(
        resolveReserveTime(
          { reserveTime: '2026-03-11 01:00', reserveTimeZone: 'America/New_York' },
          { now: nyNow, horizonDays: 10 },
        ).instant.toISOString(),
      ).toBe('2026-03-11T05:00:00.000Z');
      expect(() =>
        resolveReserveTime(
          { reserveTime: '2026-03-11 01:01', reserveTimeZone: 'America/New_York' },
          { now: nyNow, horizonDays: 10 },
        ),
      ).toThrow(expect.objectContaining({ code: 'RESERVE_TIME_BEYOND_HORIZON' }));
    });

    it.each([0, -1, 1.5, Number.NaN])('horizonDays %p is refused', (horizonDays) => {
      expect(() => resolveReserveTime({ reserveTime: '2026-03-02 09:00' }, { now, horizonDays })).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'horizonDays' }),
      );
    });
  });

  it.each([
    [{ reserveTime: '2026-03-02 9:00' }, 'INVALID_FORMAT', 'reserveTime'],
    [{ reserveTime: '2026-02-30 09:00' }, 'INVALID_DATE', 'reserveTime'],
    [{ reserveTime: '2026-03-02 24:00' }, 'INVALID_TIME', 'reserveTime'],
    [
      { reserveTime: '2026-03-02 09:00', reserveTimeZone: 'Mars/Olympus' },
      'UNKNOWN_TIME_ZONE',
      'reserveTimeZone',
    ],
    [{ reserveTime: '2026-03-02 09:00', reserveTimeZone: '+09:00' }, 'UNKNOWN_TIME_ZONE', 'reserveTimeZone'],
    [{ reserveTime: '2026-03-02 09:00', reserveTimeZone: '' }, 'UNKNOWN_TIME_ZONE', 'reserveTimeZone'],
  ])('%p → %s on %s', (input, code, field) => {
    expect(() => resolveReserveTime(input, { now })).toThrow(expect.objectContaining({ code, field }));
  });

  it('refuses an invalid clock', () => {
    expect(() =>
      resolveReserveTime({ reserveTime: '2026-03-02 09:00' }, { now: new Date(Number.NaN) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'now' }));
  });
});

describe('resolveReserveTime property', () => {
  it('accepts exactly the wall times whose instant is in (now, now + horizon], in any zone', () => {
    const DAY = 86_400_000;
    fc.assert(
      fc.property(
        fc.constantFrom('Asia/Seoul', 'America/New_York', 'Europe/Berlin'),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: -2 * DAY, max: 200 * DAY }),
        fc.integer({ min: 1, max: 365 }),
        (zone, nowMs, aheadMs, horizonDays) => {
          const now = new Date(nowMs);
          const reserveTime = formatLocal(nowMs + aheadMs, zone);
          const expected = resolveWallTime(parseWallTime(reserveTime, 'reserveTime'), zone).instant.getTime();
          let outcome: string;
          try {
            const resolved = resolveReserveTime({ reserveTime, reserveTimeZone: zone }, { now, horizonDays });
            expect(resolved.instant.getTime()).toBe(expected);
            outcome = 'OK';
          } catch (error) {
            if (!(error instanceof SchedulingError)) throw error;
            outcome = error.code;
          }
          const wanted =
            expected <= nowMs
              ? 'RESERVE_TIME_IN_PAST'
              : expected > nowMs + horizonDays * DAY
                ? 'RESERVE_TIME_BEYOND_HORIZON'
                : 'OK';
          expect(outcome).toBe(wanted);
        },
      ),
      { numRuns: 300 },
    );
  });
});
