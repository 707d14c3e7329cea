import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { normalizeKoreanNumber, parseInternationalNumber, resolveCallingCode, toE164 } from './phone-number';
import { RuleError } from './rule-error';

function thrown(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

describe('normalizeKoreanNumber', () => {
  it.each([
    ['010-1234-5678', '01012345678'],
    ['01012345678', '01012345678'],
    ['010 1234 5678', '01012345678'],
    ['010.1234.5678', '01012345678'],
    ['+82 10-1234-5678', '01012345678'],
    ['+821012345678', '01012345678'],
    ['+82 010-1234-5678', '01012345678'],
    ['011-123-4567', '0111234567'],
    ['02-123-4567', '021234567'],
    ['02-1234-5678', '0212345678'],
    ['(02) 1234-5678', '0212345678'],
    ['031-123-4567', '0311234567'],
    ['051-1234-5678', '05112345678'],
    ['064-123-4567', '0641234567'],
    ['070-1234-5678', '07012345678'],
    ['080-123-4567', '0801234567'],
    ['0505-123-4567', '05051234567'],
    ['1588-1234', '15881234'],
    ['1544-0000', '15440000'],
    ['1670-1234', '16701234'],
    ['1600-1234', '16001234'],
    // 18xx representative numbers libphonenumber does not list as valid: accepted by shape
    ['1811-1234', '18111234'],
    ['1877-1234', '18771234'],
    ['+82 1588-1234', '15881234'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeKoreanNumber(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'letters'],
    ['010-1234-5678x', 'a trailing letter'],
    ['010-12345-67890', 'too long'],
    ['010-12-34', 'too short'],
    ['02-12-3456', 'too short for Seoul'],
    ['1234-5678', '12xx is no representative number'],
    ['1588-123', 'representative number too short'],
    ['1588-12345', 'representative number too long'],
    ['+1 202 555 0123', 'another country'],
    ['+82', 'only the country code'],
    ['099-123-4567', 'no such area code'],
  ])('%j (%s) throws INVALID_PHONE_NUMBER', (input) => {
    const error = thrown(() => normalizeKoreanNumber(input));
    expect(error.code).toBe('INVALID_PHONE_NUMBER');
    expect(error.field).toBe('to');
  });

  it('names the field it is given', () => {
    expect(thrown(() => normalizeKoreanNumber('12', 'from')).field).toBe('from');
  });
});

describe('toE164 and parseInternationalNumber', () => {
  it.each<[string, string | number, string]>([
    ['010-1234-5678', '82', '+821012345678'],
    ['010-1234-5678', 82, '+821012345678'],
    ['010-1234-5678', '+82', '+821012345678'],
    ['010-1234-5678', 'KR', '+821012345678'],
    ['+82 10 1234 5678', '82', '+821012345678'],
    ['02-123-4567', '82', '+8221234567'],
    ['1588-1234', '82', '+8215881234'],
    ['(202) 555-0123', '1', '+12025550123'],
    ['+1 202 555 0123', '1', '+12025550123'],
    ['202-555-0123', 'US', '+12025550123'],
    ['416-555-0199', '1', '+14165550199'],
    ['020 7946 0958', '44', '+442079460958'],
    ['9123 4567', '65', '+6591234567'],
    ['090-1234-5678', '81', '+819012345678'],
    ['138 0013 8000', '86', '+8613800138000'],
  ])('%s in %s → %s', (number, countryCode, e164) => {
    expect(toE164(number, countryCode)).toBe(e164);
  });

  it('splits the country code from the national number', () => {
    expect(parseInternationalNumber('010-1234-5678', '82')).toEqual({
      countryCode: '82',
      nationalNumber: '1012345678',
      e164: '+821012345678',
    });
    expect(parseInternationalNumber('(202) 555-0123', '1')).toEqual({
      countryCode: '1',
      nationalNumber: '2025550123',
      e164: '+12025550123',
    });
  });

  it.each<[string, string | number, string]>([
    ['123', '1', 'INVALID_PHONE_NUMBER'],
    ['555-0123', '1', 'INVALID_PHONE_NUMBER'],
    ['+44 20 7946 0958', '1', 'INVALID_PHONE_NUMBER'],
    ['010-1234', '82', 'INVALID_PHONE_NUMBER'],
    ['hello', '82', 'INVALID_PHONE_NUMBER'],
    ['2025550123', '999', 'INVALID_COUNTRY_CODE'],
    ['2025550123', 'XX', 'INVALID_COUNTRY_CODE'],
    ['2025550123', '', 'INVALID_COUNTRY_CODE'],
  ])('%s in %s throws %s', (number, countryCode, code) => {
    expect(thrown(() => toE164(number, countryCode)).code).toBe(code);
  });

  it('resolves calling codes and regions', () => {
    expect(resolveCallingCode('kr')).toBe('82');
    expect(resolveCallingCode(1)).toBe('1');
    expect(resolveCallingCode('+852')).toBe('852');
    expect(thrown(() => resolveCallingCode('0')).field).toBe('countryCode');
  });
});

describe('normalizeKoreanNumber on repeated numbers', () => {
  it('answers the same the second time, valid or not, with the field of each call', () => {
    expect(normalizeKoreanNumber('010-2222-3333')).toBe('01022223333');
    expect(normalizeKoreanNumber('010-2222-3333')).toBe('01022223333');
    // libphonenumber's KR metadata leaves 010-5970 to 010-5999 unallocated: invalid, then cached as such.
    expect(thrown(() => normalizeKoreanNumber('010-5970-4970', 'from')).field).toBe('from');
    const again = thrown(() => normalizeKoreanNumber('010 5970 4970', 'messages[1].to'));
    expect([again.code, again.field]).toEqual(['INVALID_PHONE_NUMBER', 'messages[1].to']);
    expect(again.message).toContain('010 5970 4970');
  });
});

describe('Korean numbers written in different ways (property)', () => {
  it('give the same digits, and normalizing again changes nothing', () => {
    const mobile = fc
      .tuple(fc.constantFrom('010'), fc.integer({ min: 2000, max: 9999 }), fc.integer({ min: 0, max: 9999 }))
      .map(([prefix, middle, last]) => [prefix, String(middle), String(last).padStart(4, '0')]);
    const seoul = fc
      .tuple(fc.constantFrom('02'), fc.integer({ min: 200, max: 9999 }), fc.integer({ min: 0, max: 9999 }))
      .map(([prefix, middle, last]) => [prefix, String(middle), String(last).padStart(4, '0')]);
    const separator = fc.constantFrom('', '-', ' ', '.');
    let checked = 0;
    fc.assert(
      fc.property(fc.oneof(mobile, seoul), separator, fc.boolean(), (groups, sep, international) => {
        const digits = groups.join('');
        let expected: string;
        try {
          expected = normalizeKoreanNumber(digits);
        } catch {
          return; // a range libphonenumber's metadata does not allocate
        }
        expect(expected).toBe(digits);
        const written = international ? `+82 ${groups.join(sep).slice(1)}` : groups.join(sep);
        expect(normalizeKoreanNumber(written)).toBe(expected);
        expect(normalizeKoreanNumber(expected)).toBe(expected);
        expect(toE164(written, '82')).toBe(`+82${expected.slice(1)}`);
        checked++;
      }),
      { numRuns: 500 },
    );
    expect(checked).toBeGreaterThan(400); // most drawn numbers are allocated: the property is not vacuous
  });
});
