import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { graphemeClusterEnds } from './grapheme-cluster';
import { GSM7_SEPTETS } from './gsm7';
import { RuleError } from './rule-error';
import { segment } from './segment';

function thrown(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

const a = (n: number): string => 'a'.repeat(n);
const lengths = (parts: string[]): number[] => parts.map((part) => part.length);

describe('segment', () => {
  describe('GSM-7 boundaries', () => {
    it.each([
      ['1 char', a(1), 1, [1]],
      ['160 chars', a(160), 160, [160]],
      ['161 chars', a(161), 161, [153, 8]],
      ['306 chars', a(306), 306, [153, 153]],
      ['307 chars', a(307), 307, [153, 153, 1]],
      ['escape + 158 chars = 160 septets', `{${a(158)}`, 160, [159]],
      ['escape + 159 chars = 161 septets', `{${a(159)}`, 161, [152, 8]],
      ['80 escapes = 160 septets', '€'.repeat(80), 160, [80]],
      ['81 escapes = 162 septets', '€'.repeat(81), 162, [76, 5]],
      ['160 Ç (capital cedilla is GSM)', 'Ç'.repeat(160), 160, [160]],
      ['CRLF counts as two characters', '\rabcde\r\n123', 11, [11]],
      ['every extension character', '\f^{}\\[~]|€', 20, [10]],
    ])('%s', (_, text, units, partLengths) => {
      const plan = segment(text);
      expect(plan.encoding).toBe('GSM7');
      expect(plan.units).toBe(units);
      expect(lengths(plan.parts)).toEqual(partLengths);
      expect(plan.parts.join('')).toBe(text);
      expect(plan.characters).toBe(text.length);
    });

    it('never splits an escape pair: the 153rd septet would be half of one, so it opens part 2', () => {
      const text = `${a(152)}[${a(10)}`;
      const plan = segment(text);
      expect(plan.parts).toEqual([a(152), `[${a(10)}`]);
      expect(plan.units).toBe(164);
    });

    it('an escape that ends exactly on septet 153 stays in part 1', () => {
      const plan = segment(`${a(151)}]${a(10)}`);
      expect(plan.parts).toEqual([`${a(151)}]`, a(10)]);
    });
  });

  describe('UCS-2 boundaries', () => {
    it.each([
      ['70 × ç (small cedilla is not GSM)', 'ç'.repeat(70), 70, 70, [70]],
      ['71 × ç', 'ç'.repeat(71), 71, 71, [67, 4]],
      ['70 Hangul', '가'.repeat(70), 70, 70, [70]],
      ['71 Hangul', '가'.repeat(71), 71, 71, [67, 4]],
      ['😜 + 68 = 70 units', `😜${a(68)}`, 70, 69, [70]],
      ['😜 + 69 = 71 units', `😜${a(69)}`, 71, 70, [67, 4]],
      ['🇮🇹 + 66 = 70 units', `🇮🇹${a(66)}`, 70, 67, [70]],
      ['🇮🇹 + 67 = 71 units', `🇮🇹${a(67)}`, 71, 68, [67, 4]],
      ['🏳️‍🌈 + 64 = 70 units', `🏳️‍🌈${a(64)}`, 70, 65, [70]],
      ['🏳️‍🌈 + 65 = 71 units', `🏳️‍🌈${a(65)}`, 71, 66, [67, 4]],
      ['GSM extension chars cost 1 unit in UCS-2: 😀 + 68 ]', `😀${']'.repeat(68)}`, 70, 69, [70]],
      ['😀 + 69 ]', `😀${']'.repeat(69)}`, 71, 70, [67, 4]],
      ['160 × ç', 'ç'.repeat(160), 160, 160, [67, 67, 26]],
      ['combining accents stay on their letter', `${'é'.repeat(66)}e\u0301\u0301xxxx`, 73, 71, [66, 7]],
    ])('%s', (_, text, units, characters, partLengths) => {
      const plan = segment(text);
      expect(plan.encoding).toBe('UCS2');
      expect(plan.units).toBe(units);
      expect(plan.characters).toBe(characters);
      expect(lengths(plan.parts)).toEqual(partLengths);
      expect(plan.parts.join('')).toBe(text);
    });

    it('an emoji (surrogate pair) at a part boundary opens the next part whole', () => {
      const plan = segment(`${'ç'.repeat(66)}😀${'ç'.repeat(10)}`);
      expect(plan.parts).toEqual(['ç'.repeat(66), `😀${'ç'.repeat(10)}`]);
    });

    it('a ZWJ sequence at a part boundary is kept whole', () => {
      const family = '👨‍👩‍👧';
      const plan = segment(`${'가'.repeat(60)}${family}${'가'.repeat(10)}`);
      expect(plan.parts).toEqual(['가'.repeat(60), `${family}${'가'.repeat(10)}`]);
    });

    it('a flag at a part boundary is kept whole', () => {
      const plan = segment(`${'가'.repeat(65)}🇰🇷${'가'.repeat(10)}`);
      expect(plan.parts).toEqual(['가'.repeat(65), `🇰🇷${'가'.repeat(10)}`]);
    });

    it('one ç turns a GSM message into UCS-2 for the whole message', () => {
      expect(segment(`${a(100)}ç`).encoding).toBe('UCS2');
      expect(segment(`${a(100)}Ç`).encoding).toBe('GSM7');
      expect(lengths(segment(`${a(100)}ç`).parts)).toEqual([67, 34]);
    });

    it('cuts a cluster longer than a whole part between code points, never inside a surrogate pair', () => {
      const text = `x${'\u0301'.repeat(70)}😀\u0301`;
      const plan = segment(text);
      expect(plan.parts.join('')).toBe(text);
      for (const part of plan.parts) expect(part.length).toBeLessThanOrEqual(67);
      expect(plan.parts.some((part) => part.startsWith('\ude00'))).toBe(false);
    });
  });

  describe('five parts at most', () => {
    it.each([
      ['765 GSM-7 chars fit 5 parts', a(765), 'GSM7', 5],
      ['335 UCS-2 chars fit 5 parts', '가'.repeat(335), 'UCS2', 5],
    ])('%s', (_, text, encoding, parts) => {
      const plan = segment(text);
      expect(plan.encoding).toBe(encoding);
      expect(plan.parts).toHaveLength(parts);
    });

    it.each([
      ['766 GSM-7 chars', a(766), 'GSM7'],
      ['383 GSM-7 extension chars (766 septets)', '~'.repeat(383), 'GSM7'],
      ['336 UCS-2 chars', '가'.repeat(336), 'UCS2'],
    ])('%s throw TOO_MANY_PARTS', (_, text) => {
      const error = thrown(() => segment(text));
      expect(error.code).toBe('TOO_MANY_PARTS');
      expect(error.field).toBe('content');
      expect(error.limit).toBe(5);
      expect(error.actual).toBe(6);
    });

    it('takes another maximum and field name', () => {
      expect(segment(a(306), { maxParts: 2 }).parts).toHaveLength(2);
      const error = thrown(() => segment(a(161), { maxParts: 1, field: 'messages[2].content' }));
      expect([error.code, error.field, error.limit, error.actual]).toEqual([
        'TOO_MANY_PARTS',
        'messages[2].content',
        1,
        2,
      ]);
    });
  });

  it('refuses a maximum that is not a whole number of parts', () => {
    expect(() => segment('hi', { maxParts: 0 })).toThrow(RangeError);
    expect(() => segment('hi', { maxParts: 1.5 })).toThrow(RangeError);
  });

  it('refuses an empty text', () => {
    expect(thrown(() => segment('')).code).toBe('CONTENT_EMPTY');
  });

  it('on any text: parts give the text back, fit their size and end on cluster boundaries (property)', () => {
    const septets = (part: string): number =>
      [...part].reduce((sum, c) => sum + (GSM7_SEPTETS[c.charCodeAt(0)] ?? 0), 0);
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 400 }),
      fc.string({
        unit: fc.constantFrom('a', '€', '{', 'ç', '가', '😀', '🇰🇷', '\u0301', '\u200d', '\r', '\n'),
        minLength: 1,
        maxLength: 600,
      }),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const plan = segment(text, { maxParts: 1000 });
        expect(plan.parts.join('')).toBe(text);
        const single = plan.parts.length === 1;
        if (plan.encoding === 'GSM7') {
          for (const part of plan.parts) expect(septets(part)).toBeLessThanOrEqual(single ? 160 : 153);
          expect(plan.units).toBe(septets(text));
        } else {
          for (const part of plan.parts) expect(part.length).toBeLessThanOrEqual(single ? 70 : 67);
          expect(plan.units).toBe(text.length);
          const ends = graphemeClusterEnds(text);
          expect(plan.characters).toBe(ends.length);
          // Every cut is a cluster boundary unless the cluster is longer than a part.
          const boundaries = new Set([0, ...ends]);
          let offset = 0;
          for (const part of plan.parts.slice(0, -1)) {
            offset += part.length;
            const atBoundary = boundaries.has(offset);
            const lowSurrogateNext = /^[\udc00-\udfff]/.test(text.slice(offset));
            const highSurrogateBefore = /[\ud800-\udbff]$/.test(text.slice(0, offset));
            expect(atBoundary || !(lowSurrogateNext && highSurrogateBefore)).toBe(true);
            if (!atBoundary) {
              const clusterStart = Math.max(0, ...ends.filter((end) => end < offset));
              const clusterEnd = ends.find((end) => end > offset) ?? text.length;
              expect(clusterEnd - clusterStart).toBeGreaterThan(67);
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  describe('against sms-segments-calculator (oracle)', () => {
    const gsmBasic = fc.constantFrom(...'abcXYZ 019@£$¥èéÇ\nØ\rÅΔ_ΦΓß!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑܧ¿äöñüà');
    const gsmExtension = fc.constantFrom(...'\f^{}\\[~]|€');
    const nonGsm = fc.constantFrom('ç', 'á', 'ú', '`', 'α', '가', '한', '글', 'ㄱ', '漢', 'Ж', 'م', '\u00a0');
    const emoji = fc.constantFrom('😀', '😜', '🎉', '👍🏽', '👨‍👩‍👧', '🇰🇷', '🇮🇹', '❤️', '🏳️‍🌈', '1️⃣');
    const combining = fc.constantFrom('e\u0301', 'a\u0308\u0301', '\u1100\u1161');
    const anyBmp = fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCharCode(c));

    // Where the calculator is wrong, and so excluded from these properties:
    // - It splits graphemes with grapheme-splitter (Unicode 10 era data); Node's ICU knows the combining
    //   marks added since (U+1AC4, U+11074, U+1CF3x...) and the newer cluster rules, so there the calculator
    //   cuts a mark from its letter (see the test just below). Measured: about 9% of texts drawn from every
    //   code point up to U+2FFFF differ in part or character count for that reason alone. anyBmp below is
    //   therefore only drawn into the GSM/UCS-2 choice check, not into part-by-part comparisons.
    // - A cluster longer than one part (67 units) overflows its part there; we cut it between code points.
    //   The generators keep every cluster ≤ 12 units.
    // - An empty text is one segment there; it is CONTENT_EMPTY here (minLength 1).
    // - Its numberOfCharacters for GSM-7 counts septets (an extension character is 2); ours counts
    //   characters, so `characters` is compared for UCS-2 only.
    const calculatorParts = (message: SegmentedMessage): string[] =>
      message.segments.map((part) =>
        // Segment extends Array: copy it first, its own map() would build a new Segment with headers.
        Array.from(part as unknown as { raw?: string }[])
          .map((unit) => unit.raw)
          .filter((raw) => raw !== undefined)
          .join(''),
      );

    const checkAgainstCalculator = (text: string): void => {
      const theirs = new SegmentedMessage(text);
      let plan;
      try {
        plan = segment(text, { maxParts: 100 });
      } catch (error) {
        throw new Error(`segment threw on ${JSON.stringify(text)}: ${String(error)}`, { cause: error });
      }
      expect(plan.encoding).toBe(theirs.encodingName === 'GSM-7' ? 'GSM7' : 'UCS2');
      expect(plan.parts.length).toBe(theirs.segmentsCount);
      expect(plan.parts).toEqual(calculatorParts(theirs));
      if (plan.encoding === 'UCS2') expect(plan.characters).toBe(theirs.numberOfCharacters);
      else expect(plan.units).toBe(theirs.numberOfCharacters);
    };

    it('known wrong there: a combining mark newer than its grapheme data is cut from its letter', () => {
      const text = `${'가'.repeat(66)}a\u1ac4${'가'.repeat(5)}`; // U+1AC4: combining mark, Unicode 13
      expect(new SegmentedMessage(text).numberOfCharacters).toBe(73); // the mark counted on its own
      expect(calculatorParts(new SegmentedMessage(text))[0]).toBe(`${'가'.repeat(66)}a`); // and cut off
      const plan = segment(text);
      expect(plan.characters).toBe(72);
      expect(plan.parts[0]).toBe('가'.repeat(66)); // the letter goes with its mark
    });

    it('GSM-7 text: same encoding, same parts, part by part', () => {
      fc.assert(
        fc.property(
          fc.array(fc.oneof({ weight: 5, arbitrary: gsmBasic }, { weight: 1, arbitrary: gsmExtension }), {
            minLength: 1,
            maxLength: 800,
          }),
          (chars) => checkAgainstCalculator(chars.join('')),
        ),
        { numRuns: 300 },
      );
    });

    it('mixed text (GSM, extension, Hangul, accents, emoji, ZWJ sequences, flags): same parts', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              { weight: 6, arbitrary: gsmBasic },
              { weight: 2, arbitrary: gsmExtension },
              { weight: 2, arbitrary: nonGsm },
              { weight: 1, arbitrary: emoji },
              { weight: 1, arbitrary: combining },
            ),
            { minLength: 1, maxLength: 400 },
          ),
          (pieces) => checkAgainstCalculator(pieces.join('')),
        ),
        { numRuns: 300 },
      );
    });

    it('any BMP character: same GSM-7 / UCS-2 choice', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(gsmBasic, anyBmp), { minLength: 1, maxLength: 200 }), (pieces) => {
          const text = pieces.join('');
          const theirs = new SegmentedMessage(text);
          expect(segment(text, { maxParts: 100 }).encoding).toBe(
            theirs.encodingName === 'GSM-7' ? 'GSM7' : 'UCS2',
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
