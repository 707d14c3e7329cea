import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiError } from '../common/api-error';
import { canonicalJson, readIdempotencyKey, requestFingerprint } from './idempotency';

describe('Idempotency-Key', () => {
  it.each([
    ['a', 'a'],
    ['order-2026-03-02/17', 'order-2026-03-02/17'],
    ['k'.repeat(255), 'k'.repeat(255)],
  ])('takes %j', (header, key) => {
    expect(readIdempotencyKey(header)).toBe(key);
  });

  it('is optional', () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([[''], ['k'.repeat(256)], ['has space'], ['탭'], ['tab\there']])(
    'refuses %j with 400 on the header',
    (header) => {
      let error: unknown;
      try {
        readIdempotencyKey(header);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).body()).toMatchObject({
        statusCode: 400,
        code: 'INVALID_IDEMPOTENCY_KEY',
        field: 'Idempotency-Key',
      });
    },
  );
});

describe('request fingerprint', () => {
  it('ignores key order and undefined members, not values or array order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
    expect(requestFingerprint({ a: 1, b: 2 })).toBe(requestFingerprint({ b: 2, a: 1 }));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: '1' }));
    expect(requestFingerprint({ m: [1, 2] })).not.toBe(requestFingerprint({ m: [2, 1] }));
  });

  it('is the same for any key order of the same JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(JSON.stringify(value, (_k, v: unknown) => reverseKeys(v))) as unknown;
        expect(requestFingerprint(shuffled)).toBe(requestFingerprint(value));
        // And the canonical text still parses to the same value.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse());
}
