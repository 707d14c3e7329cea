import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from './page-cursor';

describe('history cursor', () => {
  it('round-trips (time, id) through an opaque URL-safe text (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.uuid(),
        (time, id) => {
          const text = encodeCursor({ time, id });
          expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(decodeCursor(text)).toEqual({ time, id });
        },
      ),
    );
  });

  it.each([
    ['not base64 JSON', 'bm9wZQ'],
    ['an empty text', ''],
    ['a wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad time', Buffer.from('["yesterday","00000000-0000-4000-8000-000000000000"]').toString('base64url')],
    ['a bad id', Buffer.from('["2026-03-02T00:00:00.000Z","1; DROP TABLE"]').toString('base64url')],
  ])('refuses %s with 400 INVALID_CURSOR', (_what, text) => {
    expect(() => decodeCursor(text)).toThrow(ApiError);
    try {
      decodeCursor(text);
    } catch (error) {
      expect((error as ApiError).body()).toMatchObject({
        statusCode: 400,
        code: 'INVALID_CURSOR',
        field: 'cursor',
      });
    }
  });
});
