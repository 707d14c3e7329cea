import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import {
  allCodePointsStandalone,
  countGraphemeClusters,
  graphemeClusterEnds,
  isStandaloneCodePoint,
} from './grapheme-cluster';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The reference: Intl.Segmenter over the whole text, with CR LF counted as two clusters. */
function referenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    if (segment === '\r\n') ends.push(index + 1);
    ends.push(index + segment.length);
  }
  return ends;
}

describe('grapheme clusters', () => {
  it('never calls a code point standalone when it can join a neighbour (every code point below U+20000)', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp < 0x20000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (!isStandaloneCodePoint(cp)) continue;
      const c = String.fromCodePoint(cp);
      // Neighbours from the classes that join: Latin, a Hangul LV syllable, a Devanagari consonant.
      for (const neighbour of ['a', '가', 'क', ' ']) {
        const text = neighbour + c + c + neighbour;
        if ([...segmenter.segment(text)].length !== 4) wrong.push(cp.toString(16));
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['abc', [1, 2, 3]],
    ['a\r\nb', [1, 2, 3, 4]],
    ['😀a', [2, 3]],
    ['e\u0301\u0301x', [3, 4]],
    ['🇮🇹🇰🇷', [4, 8]],
    ['🏳️‍🌈!', [6, 7]],
    ['👍🏽👨‍👩‍👧', [4, 12]],
    ['❤️ 한글', [2, 3, 4, 5]],
    ['\u1100\u1161\u11a8가', [3, 4]],
    ['क्षa', [3, 4]],
    ['\ud800x', [1, 2]],
  ])('%j ends clusters at %j', (text, ends) => {
    expect(graphemeClusterEnds(text)).toEqual(ends);
    expect(graphemeClusterEnds(text)).toEqual(referenceEnds(text));
    expect(countGraphemeClusters(text)).toBe(ends.length);
  });

  it('takes the fast path only for text whose code points all stand alone', () => {
    expect(allCodePointsStandalone('Hello 안녕 😀 ΑΒΓ')).toBe(true);
    expect(allCodePointsStandalone('❤️')).toBe(false);
    expect(allCodePointsStandalone('e\u0301')).toBe(false);
    expect(allCodePointsStandalone('🇰🇷')).toBe(false);
  });

  it('equals Intl.Segmenter over the whole text on mixed text (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', ' ', '\r', '\n', '가', '한', 'क', '्', 'ष', '\u0301', '\u200d', '\ufe0f', '\u0e33'),
      fc.constantFrom(
        '😀',
        '🌈',
        '🏳',
        '👨',
        '👩',
        '🏽',
        '🇰',
        '🇷',
        '\u1100',
        '\u1161',
        '\u11a8',
        '\u0600',
        '\ud800',
      ),
      fc.integer({ min: 0, max: 0x2ffff }).map((cp) => String.fromCodePoint(cp)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect(graphemeClusterEnds(text)).toEqual(referenceEnds(text));
      }),
      { numRuns: 3000 },
    );
  });
});
