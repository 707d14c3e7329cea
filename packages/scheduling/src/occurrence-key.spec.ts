import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { occurrenceKey, parseOccurrenceKey } from './occurrence-key';

const instant = new Date('2026-03-08T07:00:00.000Z');

describe('occurrenceKey', () => {
  it('is the schedule id and the UTC instant', () => {
    expect(occurrenceKey('42', instant)).toBe('42@2026-03-08T07:00:00.000Z');
    expect(occurrenceKey(42, instant)).toBe('42@2026-03-08T07:00:00.000Z');
  });

  it('is the same for equal instants built differently', () => {
    expect(occurrenceKey('s', new Date('2026-03-08T03:00:00-04:00'))).toBe(occurrenceKey('s', instant));
    expect(occurrenceKey('s', new Date(instant.getTime()))).toBe(occurrenceKey('s', instant));
  });

  it('differs by a millisecond and by schedule', () => {
    expect(occurrenceKey('s', new Date(instant.getTime() + 1))).not.toBe(occurrenceKey('s', instant));
    expect(occurrenceKey('s1', instant)).not.toBe(occurrenceKey('s', instant));
  });

  it.each([
    ['', instant, 'INVALID_SCHEDULE_ID', 'scheduleId'],
    [1.5, instant, 'INVALID_SCHEDULE_ID', 'scheduleId'],
    ['s', new Date(Number.NaN), 'INVALID_ARGUMENT', 'instant'],
  ])('refuses %p, %p', (id, at, code, field) => {
    expect(() => occurrenceKey(id, at)).toThrow(expect.objectContaining({ code, field }));
  });

  it('property: parses back, even when the id holds @', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }),
        (id, ms) => {
          const key = occurrenceKey(id, new Date(ms));
          expect(parseOccurrenceKey(key)).toEqual({ scheduleId: id, instant: new Date(ms) });
        },
      ),
    );
    expect(parseOccurrenceKey('a@b@2026-03-08T07:00:00.000Z').scheduleId).toBe('a@b');
  });

  it.each(['no-at-sign', '@2026-03-08T07:00:00.000Z', 's@2026-03-08', 's@yesterday'])(
    '%p is not a key',
    (key) => {
      expect(() => parseOccurrenceKey(key)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    },
  );

  it('property: distinct (schedule, instant) pairs have distinct keys', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'a@b', 'b@'), fc.integer({ min: 0, max: 4e12 })), {
          selector: ([id, ms]) => `${id}|${ms}`,
        }),
        (pairs) => {
          const keys = pairs.map(([id, ms]) => occurrenceKey(id, new Date(ms)));
          expect(new Set(keys).size).toBe(pairs.length);
        },
      ),
    );
  });
});
