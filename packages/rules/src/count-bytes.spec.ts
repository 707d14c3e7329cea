import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { countBytes, findUnencodableCharacter } from './count-bytes';
import { RuleError } from './rule-error';

const oracleBytes = (text: string): number => iconv.encode(text, 'cp949').length;

function thrown(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

describe('countBytes', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['가', 2],
    ['a'.repeat(90), 90],
    ['a'.repeat(91), 91],
    ['가'.repeat(45), 90],
    ['가'.repeat(46), 92],
    ['가'.repeat(44) + 'ab', 90],
    ['가'.repeat(45) + 'a', 91],
    ['a'.repeat(80), 80],
    ['a'.repeat(81), 81],
    ['가'.repeat(40), 80],
    ['가'.repeat(40) + 'a', 81],
    ['한'.repeat(1000), 2000],
    ['한'.repeat(1000) + '!', 2001],
    ['안녕하세요, Munja!\n', 19],
    // CP949-only syllables (not in the 2,350 of KS X 1001): still 2 bytes
    ['똠햏', 4],
    // other KS X 1001 characters: Hanja, symbols, Japanese kana, Greek, Cyrillic, compatibility jamo
    ['漢字※★ㄱㅏ', 12],
    ['かなΩЖ', 8],
    // the euro sign was added to CP949 (0xA2E6)
    ['€', 2],
  ])('%j is %i bytes', (text, bytes) => {
    expect(countBytes(text)).toBe(bytes);
    expect(countBytes(text)).toBe(oracleBytes(text));
  });

  it('counts every one of the 11,172 Hangul syllables as 2 bytes, as iconv-lite encodes them', () => {
    // the syllables where iconv-lite or countBytes says otherwise (one expect: 33,516 took seconds)
    const otherwise: string[] = [];
    for (let c = 0xac00; c <= 0xd7a3; c++) {
      const syllable = String.fromCharCode(c);
      const encoded = iconv.encode(syllable, 'cp949');
      if (encoded.length !== 2 || encoded[0] === 0x3f || countBytes(syllable) !== 2) otherwise.push(syllable);
    }
    expect(otherwise).toEqual([]);
  });

  it.each([
    ['emoji', '안녕😀', '😀', 2],
    ['emoji first', '😀', '😀', 0],
    ['Arabic', 'abc مرحبا', 'م', 4],
    ['Thai', 'สวัสดี', 'ส', 0],
    ['Latin accent not in KS X 1001', '가é', 'é', 1],
    ['c cedilla', 'ç5', 'ç', 0],
    ['lone surrogate', 'a\ud800b', '\ud800', 1],
    ['C1 control', 'x\u0080', '\u0080', 1],
  ])(
    'an unencodable character (%s) throws UNENCODABLE_CHARACTER naming it and its index',
    (_, text, character, index) => {
      const error = thrown(() => countBytes(text));
      expect(error.code).toBe('UNENCODABLE_CHARACTER');
      expect(error.field).toBe('content');
      expect(error.details).toEqual({ character, index });
      expect(error.message).toContain(character);
      expect(error.message).toContain(`index ${index}`);
      expect(findUnencodableCharacter(text)).toEqual({ character, index });
    },
  );

  it('names the field it is given', () => {
    expect(thrown(() => countBytes('제목😀', 'subject')).field).toBe('subject');
    expect(thrown(() => countBytes('😀', 'messages[3].content')).field).toBe('messages[3].content');
  });

  it('reports the first unencodable character only when there is one', () => {
    expect(findUnencodableCharacter('가나다 abc')).toBeUndefined();
    expect(findUnencodableCharacter('가😀나🎉')).toEqual({ character: '😀', index: 1 });
  });

  // Every BMP code unit that iconv-lite encodes without '?' (ASCII, Hangul, KS X 1001 symbols, Hanja...).
  const encodableCodeUnits: number[] = [];
  const unencodableCodeUnits: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const encoded = iconv.encode(String.fromCharCode(c), 'cp949');
    if (c !== 0x3f && encoded.length === 1 && encoded[0] === 0x3f) unencodableCodeUnits.push(c);
    else encodableCodeUnits.push(c);
  }

  it('agrees with the iconv-lite CP949 encoded length on any encodable text (property)', () => {
    const anyEncodable = fc.constantFrom(...encodableCodeUnits).map((c) => String.fromCharCode(c));
    const mostlyAsciiAndHangul = fc.oneof(
      fc.constantFrom(...'abc XYZ 019 ?!~\n'),
      fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c)),
      anyEncodable,
    );
    fc.assert(
      fc.property(fc.array(mostlyAsciiAndHangul, { maxLength: 300 }), (chars) => {
        const text = chars.join('');
        expect(countBytes(text)).toBe(oracleBytes(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("throws exactly where iconv-lite would have written a silent '?' (property)", () => {
    const encodable = fc.oneof(
      fc.constantFrom(...encodableCodeUnits).map((c) => String.fromCharCode(c)),
      fc.constantFrom('a', '가', '?'),
    );
    const unencodable = fc.oneof(
      fc.constantFrom(...unencodableCodeUnits).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    );
    fc.assert(
      fc.property(
        fc.array(encodable, { maxLength: 50 }),
        unencodable,
        fc.array(encodable),
        (before, bad, after) => {
          const text = before.join('') + bad + after.join('');
          const index = before.join('').length;
          // The oracle: iconv-lite puts a '?' where the unencodable character was.
          const prefixBytes = oracleBytes(text.slice(0, index));
          expect(iconv.encode(text, 'cp949')[prefixBytes]).toBe(0x3f);
          const error = thrown(() => countBytes(text));
          expect(error.code).toBe('UNENCODABLE_CHARACTER');
          expect(error.details).toEqual({ character: bad, index });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
