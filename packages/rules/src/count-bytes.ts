import * as iconv from 'iconv-lite';
import { RuleError } from './rule-error';

/**
 * Korean vendors (SENS, Infobank, NHN) document EUC-KR for domestic messages. iconv-lite's 'euc-kr' is an
 * alias of this same CP949 table (the EUC-KR superset with all 11,172 Hangul syllables), so byte counts do
 * not depend on the name. Whether a vendor refuses the 8,822 CP949-only syllables (똠, 햏...) is not
 * documented; they count 2 bytes here like every other syllable.
 */
export const DOMESTIC_ENCODING = 'cp949';

const UNKNOWN = 0;
const UNENCODABLE = 255;

/**
 * CP949 byte length of each BMP code unit, filled lazily from iconv-lite (the reference encoder) so that
 * the hot loop is one array read per character and iconv-lite is asked at most once per distinct character.
 * 0 = not asked yet, 255 = not encodable. ASCII and the 11,172 Hangul syllables take the fast path below
 * and never reach this table.
 */
const byteLengthByCodeUnit = new Uint8Array(0x10000);

function lookUpByteLength(codeUnit: number): number {
  // A lone surrogate has no encoding of its own; a pair (emoji and other astral characters) is outside
  // CP949 altogether, which has no character above U+FFFF.
  if (codeUnit >= 0xd800 && codeUnit <= 0xdfff) return UNENCODABLE;
  const encoded = iconv.encode(String.fromCharCode(codeUnit), DOMESTIC_ENCODING);
  // iconv-lite writes '?' (0x3F) for a character its table lacks instead of failing; only '?' itself
  // legitimately encodes to 0x3F.
  const length =
    encoded.length === 1 && encoded[0] === 0x3f && codeUnit !== 0x3f ? UNENCODABLE : encoded.length;
  byteLengthByCodeUnit[codeUnit] = length;
  return length;
}

/** The whole character (a surrogate pair counts as one) that starts at `index`, for error messages. */
function characterAt(text: string, index: number): string {
  const codePoint = text.codePointAt(index) ?? 0;
  return String.fromCodePoint(codePoint);
}

function unencodable(text: string, index: number, field: string): RuleError {
  const character = characterAt(text, index);
  const codePoint = (character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return new RuleError(
    'UNENCODABLE_CHARACTER',
    field,
    `${field} contains "${character}" (U+${codePoint}) at index ${index}, which the domestic encoding (CP949/EUC-KR) cannot carry`,
    { character, index },
  );
}

/**
 * Size of `text` as Korean vendors count it: its CP949 (EUC-KR superset) byte length — 1 byte for ASCII,
 * 2 for Hangul and every other KS X 1001 character.
 *
 * A character CP949 cannot carry (emoji, most non-Korean scripts) throws RuleError UNENCODABLE_CHARACTER
 * naming the character and its UTF-16 index: vendors fail such sends or replace the character by '?'.
 *
 * @param field the request field the text came from, used in the error (e.g. 'subject', 'messages[3].content')
 */
export function countBytes(text: string, field = 'content'): number {
  let bytes = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
    } else if (c >= 0xac00 && c <= 0xd7a3) {
      // Every precomposed Hangul syllable is in CP949 (checked exhaustively in count-bytes.spec.ts).
      bytes += 2;
    } else {
      let n = byteLengthByCodeUnit[c] ?? UNKNOWN;
      if (n === UNKNOWN) n = lookUpByteLength(c);
      if (n === UNENCODABLE) throw unencodable(text, i, field);
      bytes += n;
    }
  }
  return bytes;
}

/**
 * The first character of `text` that CP949 cannot carry, with its UTF-16 index, or undefined when the
 * whole text is encodable. For callers that want to report rather than throw.
 */
export function findUnencodableCharacter(text: string): { character: string; index: number } | undefined {
  try {
    countBytes(text);
    return undefined;
  } catch (error) {
    if (error instanceof RuleError && error.code === 'UNENCODABLE_CHARACTER') {
      return { character: error.details.character ?? '', index: error.details.index ?? 0 };
    }
    throw error;
  }
}
