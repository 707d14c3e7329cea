import { describe, expect, it } from '@jest/globals';
import { requestTimeRangeOf } from './message-id';

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
