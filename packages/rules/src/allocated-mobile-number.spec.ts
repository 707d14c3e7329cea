import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isAllocatedMobileNumber } from './allocated-mobile-number';
import { normalizeKoreanNumber } from './phone-number';

/** The oracle: libphonenumber's own verdict on domestic digits, as the slow path reads it. */
function byLibphonenumber(digits: string): string | null {
  const parsed = parsePhoneNumberFromString(digits, 'KR');
  return parsed !== undefined && parsed.country === 'KR' && parsed.isValid()
    ? `0${parsed.nationalNumber}`
    : null;
}

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

describe('isAllocatedMobileNumber (the fast path of normalizeKoreanNumber)', () => {
  it('agrees with libphonenumber on every 11-digit 010 number drawn', () => {
    let allocated = 0;
    fc.assert(
      fc.property(digitString(8), (rest) => {
        const digits = `010${rest}`;
        const fast = isAllocatedMobileNumber(digits);
        expect(fast).toBe(byLibphonenumber(digits) === digits);
        if (fast) allocated++;
      }),
      { numRuns: 20_000 },
    );
    expect(allocated).toBeGreaterThan(15_000); // the common case takes the fast path
  });

  it('agrees on each of the 10,000 first four digits after 010 (the ranges are set by the leading digits)', () => {
    for (let head = 0; head < 10_000; head++) {
      for (const tail of ['0000', '5555', '9999']) {
        const digits = `010${String(head).padStart(4, '0')}${tail}`;
        expect([digits, isAllocatedMobileNumber(digits)]).toEqual([
          digits,
          byLibphonenumber(digits) === digits,
        ]);
      }
    }
  });

  it('takes nothing libphonenumber refuses or writes otherwise: other prefixes and lengths', () => {
    const near = fc.oneof(
      fc
        .integer({ min: 7, max: 14 })
        .chain((length) => digitString(length))
        .map((d) => `0${d}`),
      fc
        .tuple(fc.constantFrom('01', '010', '0105', '01059', '82', '1'), fc.integer({ min: 6, max: 10 }))
        .chain(([head, length]) => digitString(length).map((d) => head + d)),
    );
    fc.assert(
      fc.property(near, (digits) => {
        if (isAllocatedMobileNumber(digits)) expect(byLibphonenumber(digits)).toBe(digits);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves normalizeKoreanNumber answering as libphonenumber does, written any way', () => {
    const separator = fc.constantFrom('', '-', ' ', '.');
    fc.assert(
      fc.property(digitString(8), separator, fc.boolean(), (rest, sep, international) => {
        const digits = `010${rest}`;
        const written = `${international ? '+82 10' : '010'}${sep}${rest.slice(0, 4)}${sep}${rest.slice(4)}`;
        const expected = byLibphonenumber(digits);
        if (expected === null)
          expect(() => normalizeKoreanNumber(written)).toThrow('not a valid Korean number');
        else expect(normalizeKoreanNumber(written)).toBe(expected);
      }),
      { numRuns: 5_000 },
    );
  });
});
