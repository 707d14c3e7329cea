/**
 * The 11-digit 010 numbers libphonenumber's KR metadata (libphonenumber-js 1.13.16, "max") calls valid: its
 * mobile pattern `1(?:05(?:[0-8]\d|9[0-6])|…)\d{4,5}|1(?:0[0-46-9]|…)\d{6,7}` read for a national number of
 * 10 digits starting 10 (010-5970-xxxx to 010-5999-xxxx are not allocated). Almost every recipient of a bulk
 * send is one of them, and each is a new number, so the verdict cache does not help: libphonenumber parsed
 * each in 6–7 µs (it builds its patterns' RegExps on every call: ~30 % of a bulk recipient's service time and
 * much of its garbage, `node --cpu-prof apps/server/bench/bulk.bench.mjs`); normalizeKoreanNumber with this test
 * first takes 0.06–0.14 µs a number (100,000 numbers 0105xxxxxxx, tsx, 2026-12-07). libphonenumber stays the
 * judge of every other number, and allocated-mobile-number.spec.ts checks this test against it over generated
 * numbers, so a metadata update that moves the ranges fails there.
 */
const ALLOCATED_MOBILE_NUMBER = /^010(?:[0-46-9]\d{7}|5(?:[0-8]\d{6}|9[0-6]\d{5}))$/;

/** Whether compacted digits are an 11-digit 010 number libphonenumber would accept as they are. */
export function isAllocatedMobileNumber(digits: string): boolean {
  return digits.length === 11 && ALLOCATED_MOBILE_NUMBER.test(digits);
}
