import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js/max';
import { isAllocatedMobileNumber } from './allocated-mobile-number';
import { RuleError } from './rule-error';

// The "max" metadata (≈150 KB) checks each number against its country's real number ranges (type-level
// patterns); the "min" build checks only lengths and would accept, e.g., 010-0000-000.

const KOREA_CALLING_CODE = '82';

/**
 * Korean representative numbers (대표번호): 8 digits, 15xx/16xx/18xx-xxxx. Companies use them as calling
 * numbers, but libphonenumber's KR metadata lists only some prefixes (1588 and 1670 validate, 1811 does
 * not), and carriers keep opening new ones, so the whole family is accepted by shape.
 */
const REPRESENTATIVE_NUMBER = /^1[568]\d{6}$/;

/** Separators people write inside numbers; anything else that is not a digit (or a leading +) is an error. */
const SEPARATORS = /[\s\-.()/]/g;

/**
 * Made on first use, not at import: a top-level call would keep libphonenumber's metadata in every bundle
 * that imports any rule (the console's byte counter needs none of it).
 */
let callingCodes: ReadonlySet<string> | undefined;

function isCallingCode(digits: string): boolean {
  callingCodes ??= new Set(getCountries().map((country) => getCountryCallingCode(country)));
  return callingCodes.has(digits);
}

function invalidNumber(field: string, input: unknown, why: string): RuleError {
  return new RuleError('INVALID_PHONE_NUMBER', field, `${field}: ${JSON.stringify(input)} is not ${why}`);
}

function compact(input: string, field: string): string {
  if (typeof input !== 'string') throw invalidNumber(field, input, 'a phone number (not a string)');
  const compacted = input.replace(SEPARATORS, '');
  if (!/^\+?\d+$/.test(compacted)) throw invalidNumber(field, input, 'a phone number');
  return compacted;
}

/**
 * A Korean phone number in the domestic digits-only form vendors take: '010-1234-5678' → '01012345678',
 * '02-123-4567' → '021234567', '+82 10 1234 5678' → '01012345678', '1588-1234' → '15881234'.
 * Accepts mobile, landline (02 Seoul and the area codes), 070 internet phone, 050x, 080 free call and the
 * 15xx/16xx/18xx representative numbers. Anything else throws RuleError INVALID_PHONE_NUMBER.
 *
 * @param field the request field, for the error (e.g. 'from', 'messages[0].to')
 */
export function normalizeKoreanNumber(input: string, field = 'to'): string {
  const digits = compact(input, field);
  if (isAllocatedMobileNumber(digits)) return digits;
  let verdict = verdictByDigits.get(digits);
  if (verdict === undefined) {
    verdict = judgeKoreanDigits(digits);
    // Calling numbers and opt-out numbers come back on every message, and a libphonenumber parse costs
    // tens of microseconds: remember recent verdicts (bounded; dropped all at once when full).
    if (verdictByDigits.size >= VERDICT_CACHE_ENTRIES) verdictByDigits.clear();
    verdictByDigits.set(digits, verdict);
  }
  if (typeof verdict === 'string') return verdict;
  throw invalidNumber(field, input, verdict.not);
}

const VERDICT_CACHE_ENTRIES = 10_000;
const verdictByDigits = new Map<string, string | { not: string }>();

/** The domestic digits of a compacted Korean number, or what it is not. */
function judgeKoreanDigits(compacted: string): string | { not: string } {
  let digits = compacted;
  if (digits.startsWith('+')) {
    if (!digits.startsWith(`+${KOREA_CALLING_CODE}`)) {
      const abroad = parsePhoneNumberFromString(digits);
      return {
        not:
          'a Korean number; to send abroad, set countryCode' +
          (abroad
            ? ` to "${abroad.countryCallingCode}" and give the number as "${abroad.nationalNumber}"`
            : ''),
      };
    }
    digits = digits.slice(1 + KOREA_CALLING_CODE.length);
    if (REPRESENTATIVE_NUMBER.test(digits)) return digits;
    if (!digits.startsWith('0')) digits = `0${digits}`;
  }
  if (REPRESENTATIVE_NUMBER.test(digits)) return digits;
  if (!digits.startsWith('0')) return { not: 'a Korean number (it must start with 0 or 1)' };
  const parsed = parsePhoneNumberFromString(digits, 'KR');
  if (parsed === undefined || parsed.country !== 'KR' || !parsed.isValid())
    return { not: 'a valid Korean number' };
  return `0${parsed.nationalNumber}`;
}

/** A country calling code ('82', '+82', 82) or an ISO 3166 region ('KR', 'us'), as its calling code. */
export function resolveCallingCode(countryCode: string | number, field = 'countryCode'): string {
  const raw = String(countryCode).trim();
  if (/^[A-Za-z]{2}$/.test(raw) && isSupportedCountry(raw.toUpperCase())) {
    return getCountryCallingCode(raw.toUpperCase() as CountryCode);
  }
  const digits = raw.startsWith('+') ? raw.slice(1) : raw;
  if (!/^\d{1,3}$/.test(digits) || !isCallingCode(digits)) {
    throw new RuleError(
      'INVALID_COUNTRY_CODE',
      field,
      `${field}: ${JSON.stringify(countryCode)} is not a known country calling code`,
    );
  }
  return digits;
}

export interface InternationalNumber {
  /** calling code without '+', e.g. '82', '1' */
  countryCode: string;
  /** the number within its country, without trunk prefix: '1012345678' for 010-1234-5678 */
  nationalNumber: string;
  /** '+821012345678' */
  e164: string;
}

/**
 * Parses a recipient number given with its country calling code (SENS and Infobank take the two apart).
 * The number may be national ('010-1234-5678', '(202) 555-0123') or international ('+1 202 555 0123', which
 * must then match countryCode). Invalid numbers throw INVALID_PHONE_NUMBER, unknown codes INVALID_COUNTRY_CODE.
 */
export function parseInternationalNumber(
  number: string,
  countryCode: string | number,
  field = 'to',
): InternationalNumber {
  const callingCode = resolveCallingCode(countryCode);
  const digits = compact(number, field);
  if (digits.startsWith('+') && !digits.startsWith(`+${callingCode}`)) {
    throw invalidNumber(field, number, `a number of country code +${callingCode}`);
  }
  if (callingCode === KOREA_CALLING_CODE) {
    // Korean numbers go through the Korean rules so representative numbers (see above) are accepted too.
    const domestic = normalizeKoreanNumber(digits, field);
    const nationalNumber = domestic.startsWith('0') ? domestic.slice(1) : domestic;
    return { countryCode: callingCode, nationalNumber, e164: `+${callingCode}${nationalNumber}` };
  }
  const parsed = parsePhoneNumberFromString(digits, { defaultCallingCode: callingCode });
  if (parsed === undefined || parsed.countryCallingCode !== callingCode || !parsed.isValid()) {
    throw invalidNumber(field, number, `a valid number for country code +${callingCode}`);
  }
  return { countryCode: callingCode, nationalNumber: parsed.nationalNumber, e164: parsed.number };
}

/** The E.164 form of `number` in the country of `countryCode`: ('010-1234-5678', '82') → '+821012345678'. */
export function toE164(number: string, countryCode: string | number, field = 'to'): string {
  return parseInternationalNumber(number, countryCode, field).e164;
}
