import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cp949Bytes, cp949CanCarry, truncateToBytes } from './cp949';

describe('CP949 byte counting and truncation (the fake cuts over-long text as SENS does)', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['가', 2],
    ['[Munja] 인증번호 123456', 23],
  ])('%j is %i bytes', (text, bytes) => {
    expect(cp949Bytes(text)).toBe(bytes);
  });

  it('an emoji cannot be carried; Hangul and ASCII can', () => {
    expect(cp949CanCarry('안녕 hello')).toBe(true);
    expect(cp949CanCarry('안녕 🎉')).toBe(false);
  });

  it('never splits a two-byte character: 89 bytes of room keep 44 Hangul', () => {
    expect(truncateToBytes('가'.repeat(50), 89)).toBe('가'.repeat(44));
  });

  it('property: the cut is the longest whole-character prefix within the limit', () => {
    const text = fc
      .array(fc.constantFrom('a', 'Z', '1', ' ', '가', '힣', '中', '…'), { maxLength: 120 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 200 }), (t, max) => {
        const cut = truncateToBytes(t, max);
        expect(t.startsWith(cut)).toBe(true);
        expect(cp949Bytes(cut)).toBeLessThanOrEqual(max);
        if (cut.length < t.length) expect(cp949Bytes(t.slice(0, cut.length + 1))).toBeGreaterThan(max);
      }),
    );
  });
});
