import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { messageIds, timeOrderedId, requestTimeRangeOf } from './message-id';

describe('the request time in a message id', () => {
  it('reads the millisecond of a UUIDv7 id, as a one-millisecond range', () => {
    // 0x019af1c2a3b4 ms = 2025-12-03T…; version 7, variant 10
    const id = '019af1c2-a3b4-7c00-8a00-0123456789ab';
    const millis = 0x019af1c2a3b4;
    expect(requestTimeRangeOf(id)).toEqual({ from: new Date(millis), to: new Date(millis + 1) });
    expect(requestTimeRangeOf(id.toUpperCase())).toEqual({
      from: new Date(millis),
      to: new Date(millis + 1),
    });
  });

  it('names no range for a random v4 id (written before) or anything else', () => {
    expect(requestTimeRangeOf('3f2b8c1e-9a4d-4c2b-8e1f-0123456789ab')).toBeNull();
    expect(requestTimeRangeOf('not-a-uuid')).toBeNull();
    expect(requestTimeRangeOf('019af1c2-a3b4-7c00-8a00-0123456789')).toBeNull();
  });
});

describe('message ids made in the service (messageIds)', () => {
  const requestTime = new Date('2026-12-07T07:46:56.409Z');
  const LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are UUIDv7 of the request time, ascending with the recipient index, random past it', () => {
    const indexes = [0, 1, 2, 255, 256, 4095, 4096, 65_535, 65_536, 99_999, 100_000, 1_048_575];
    const ids = messageIds(indexes.map((recipientIndex) => ({ requestTime, recipientIndex })));
    for (const id of ids) {
      expect(id).toMatch(LAYOUT);
      expect(requestTimeRangeOf(id)).toEqual({ from: requestTime, to: new Date(requestTime.getTime() + 1) });
    }
    // the index's 20 bits: its bits 19..8 after the version digit, its bits 7..0 after the variant digit
    const decoded = ids.map(
      (id) => (Number.parseInt(id.slice(15, 18), 16) << 8) | Number.parseInt(id.slice(20, 22), 16),
    );
    expect(decoded).toEqual(indexes);
    expect([...ids].sort()).toEqual(ids);
    const again = messageIds([{ requestTime, recipientIndex: 0 }]);
    expect(again[0]!.slice(0, 22)).toBe(ids[0]!.slice(0, 22));
    expect(again[0]).not.toBe(ids[0]);
  });
});

describe('ids of other rows in time order (timeOrderedId)', () => {
  const LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

  it('are UUIDv7 of their time, in the order of their times', () => {
    fc.assert(
      fc.property(
        // the 48-bit millisecond field holds times up to the year 10889
        fc.integer({ min: 0, max: 2 ** 48 - 1 - 10_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (millis, later) => {
          const at = new Date(millis);
          const [first, second] = [timeOrderedId(at), timeOrderedId(new Date(millis + later))];
          expect(first).toMatch(LAYOUT);
          expect(requestTimeRangeOf(first)).toEqual({ from: at, to: new Date(millis + 1) });
          expect(first < second).toBe(true);
        },
      ),
    );
  });

  it('differ within one millisecond', () => {
    const at = new Date('2026-12-07T14:40:00.123Z');
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(at));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
