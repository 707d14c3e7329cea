/**
 * Grapheme clusters (user-perceived characters) without paying Intl.Segmenter for the whole text.
 *
 * Intl.Segmenter is the reference (UAX #29, from the ICU shipped with Node) but costs microseconds per call
 * and per cluster. Most code points can never join a neighbour: the UAX #29 rules only keep two code points
 * together when the second is Extend / ZWJ / SpacingMark, the first is Prepend, both are conjoining Hangul
 * jamo or regional indicators, or an emoji ZWJ / Indic conjunct sequence links them (through a ZWJ or a
 * virama, themselves Extend). Code points in none of those classes are "standalone": between two of them
 * there is always a boundary. So only the short windows around the other ("joining") code points go
 * through Intl.Segmenter, and the result is the same as segmenting the whole text (checked for every code
 * point below U+20000 and by a property test in grapheme-cluster.spec.ts).
 *
 * CR LF is one cluster for UAX #29, but SMS counting treats CR and LF as two characters (both are GSM-7),
 * as sms-segments-calculator does; here they are two clusters.
 */

const JOINING_PROPERTIES = /[\p{M}\p{Cf}\p{Grapheme_Extend}\p{Regional_Indicator}\p{Emoji_Modifier}]/u;

/** Joining code points no Unicode property above covers: conjoining jamo, Lo spacing marks and prepends. */
function isJoiningByList(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x11ff) || // Hangul jamo L, V, T
    (codePoint >= 0xa960 && codePoint <= 0xa97f) || // Hangul jamo extended-A (L)
    (codePoint >= 0xd7b0 && codePoint <= 0xd7ff) || // Hangul jamo extended-B (V, T)
    codePoint === 0x0d4e || // Malayalam dot reph: Prepend
    codePoint === 0x0e33 || // Thai sara am: SpacingMark
    codePoint === 0x0eb3 || // Lao am: SpacingMark
    codePoint === 0x111c2 ||
    codePoint === 0x111c3 || // Sharada prepends
    codePoint === 0x1193f ||
    codePoint === 0x11941 || // Dives Akuru prepends
    codePoint === 0x11a3a || // Zanabazar square prepend
    (codePoint >= 0x11a84 && codePoint <= 0x11a89) || // Soyombo prepends
    codePoint === 0x11d46 || // Masaram Gondi prepend
    codePoint === 0x11f02 // Kawi prepend
  );
}

const UNKNOWN = 0;
const STANDALONE = 1;
const JOINING = 2;
const TABLE_SIZE = 0x20000;
/** Class of each code point below U+20000, filled on first sight (0 = not classified yet). */
const classByCodePoint = new Uint8Array(TABLE_SIZE);

/**
 * Newer Unicode versions add joining letters the JS property escapes cannot name (Lo spacing marks and
 * prepends such as U+113D1 and U+16D63 in Unicode 16), so each code point is also probed once against
 * the segmenter itself: doubled between two letters it must give four clusters.
 */
function joinsInProbe(character: string): boolean {
  let clusters = 0;
  for (const _ of graphemeSegmenter().segment(`a${character}${character}a`)) clusters++;
  return clusters !== 4;
}

function classify(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  const joining = isJoiningByList(codePoint) || JOINING_PROPERTIES.test(character) || joinsInProbe(character);
  const codeClass = joining ? JOINING : STANDALONE;
  classByCodePoint[codePoint] = codeClass;
  return codeClass;
}

/** True when `codePoint` can never form a cluster with a neighbour that is itself standalone. */
export function isStandaloneCodePoint(codePoint: number): boolean {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false; // lone surrogate: let the reference decide
  if (codePoint >= TABLE_SIZE) {
    // Plane 14 holds tags and variation selectors (Extend); planes 2-3 (CJK), 15-16 (private use) and the
    // unassigned planes are standalone.
    return codePoint < 0xe0000 || codePoint > 0xeffff;
  }
  const known = classByCodePoint[codePoint] ?? UNKNOWN;
  return (known === UNKNOWN ? classify(codePoint) : known) === STANDALONE;
}

let segmenter: Intl.Segmenter | undefined;

function graphemeSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter;
}

/** Windows repeat (the same emoji with the same neighbours), and each segmenter call costs microseconds. */
const windowCache = new Map<string, readonly number[]>();
const WINDOW_CACHE_ENTRIES = 4096;
const CACHED_WINDOW_LENGTH = 48;

/** Cluster ends (CR LF apart) of a short window, relative to its start, by Intl.Segmenter, cached. */
function windowClusterEnds(window: string): readonly number[] {
  const cached = windowCache.get(window);
  if (cached !== undefined) return cached;
  const ends: number[] = [];
  for (const { segment, index } of graphemeSegmenter().segment(window)) {
    if (segment === '\r\n') ends.push(index + 1);
    ends.push(index + segment.length);
  }
  if (window.length <= CACHED_WINDOW_LENGTH) {
    // A bounded cache: dropping it all when full is cheap and keeps memory flat on adversarial input.
    if (windowCache.size >= WINDOW_CACHE_ENTRIES) windowCache.clear();
    windowCache.set(window, ends);
  }
  return ends;
}

/** Code point starting at `i` (a lone surrogate stands for itself) and its length in code units. */
function codePointAt(text: string, i: number): number {
  return text.codePointAt(i) ?? 0;
}

/**
 * The grapheme clusters of `text` as the UTF-16 offsets where each one ends, in order (CR and LF apart).
 * The last entry is text.length; an empty text has none.
 */
export function graphemeClusterEnds(text: string): number[] {
  const ends: number[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const codePoint = codePointAt(text, i);
    const size = codePoint > 0xffff ? 2 : 1;
    if (isStandaloneCodePoint(codePoint)) {
      const next = i + size;
      if (next >= length || isStandaloneCodePoint(codePointAt(text, next))) {
        ends.push(next);
        i = next;
        continue;
      }
    }
    // A window around joining code points: from this code point through every joining one and the
    // standalone one after them, until two standalone code points meet (a sure boundary).
    let end = i + size;
    let previousStandalone = false;
    while (end < length) {
      const cp = codePointAt(text, end);
      const standalone = isStandaloneCodePoint(cp);
      if (standalone && previousStandalone) break;
      previousStandalone = standalone;
      end += cp > 0xffff ? 2 : 1;
    }
    for (const relativeEnd of windowClusterEnds(text.slice(i, end))) ends.push(i + relativeEnd);
    i = end;
  }
  return ends;
}

/** Number of grapheme clusters in `text` (CR LF counts as two), as sms-segments-calculator counts characters. */
export function countGraphemeClusters(text: string): number {
  return graphemeClusterEnds(text).length;
}

/** True when every code point of `text` is standalone, so each one is its own cluster. */
export function allCodePointsStandalone(text: string): boolean {
  return standaloneSurrogatePairs(text) >= 0;
}

/**
 * When every code point of `text` is standalone (each its own cluster, no segmenter needed): the number of
 * surrogate pairs in it; otherwise -1. One pass with an inlined table read: this runs over every UCS-2
 * international message.
 */
export function standaloneSurrogatePairs(text: string): number {
  const length = text.length;
  let pairs = 0;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    // Below the combining diacritics only U+00AD has a listed property, and a soft hyphen is a Control:
    // always a boundary.
    if (c < 0x300) continue;
    if (c >= 0xd800 && c <= 0xdfff) {
      const codePoint = text.codePointAt(i) ?? c;
      if (!isStandaloneCodePoint(codePoint)) return -1;
      if (codePoint > 0xffff) {
        i++;
        pairs++;
      }
      continue;
    }
    const known = classByCodePoint[c] ?? UNKNOWN;
    if ((known === UNKNOWN ? classify(c) : known) !== STANDALONE) return -1;
  }
  return pairs;
}
