// The live counter's arithmetic, from @munja/rules (the same code the server judges sends with). This module
// is loaded lazily (see use-rules.ts): it carries iconv-lite's CP949 table, which the first page needs not.
import {
  PROFILES,
  RuleError,
  countBytes,
  nonGsm7Characters,
  resolveDomesticType,
  segment,
  type DomesticType,
  type SmsEncoding,
} from '@munja/rules';

/** The server's default domestic route is SENS: SMS up to 90 bytes, LMS/MMS subject 40 and content 2,000. */
export const PROFILE = PROFILES.SENS;

export interface DomesticAnalysis {
  kind: 'domestic';
  /** CP949 bytes of the content, un-encodable characters left out */
  bytes: number;
  subjectBytes: number;
  type: DomesticType;
  /** the byte limit of that type's content */
  limit: number;
  subjectLimit: number;
  /** UTF-16 indexes (and the characters) CP949 cannot carry */
  unencodable: { index: number; character: string }[];
  /** the rules' refusal of this content, if any (too long, ...) */
  error: { code: string; message: string } | null;
}

export interface InternationalAnalysis {
  kind: 'international';
  encoding: SmsEncoding;
  units: number;
  parts: number;
  characters: number;
  /** characters that force UCS-2 */
  nonGsm7: string[];
  error: { code: string; message: string } | null;
}

const byteLengthOf = new Map<string, number>();

/** CP949 length of one character (a code point), or -1 when CP949 has no such character. Remembered. */
function characterBytes(character: string): number {
  let length = byteLengthOf.get(character);
  if (length === undefined) {
    try {
      length = countBytes(character);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      length = -1;
    }
    byteLengthOf.set(character, length);
  }
  return length;
}

function ruleError(error: unknown): { code: string; message: string } {
  if (error instanceof RuleError) return { code: error.code, message: error.message };
  throw error;
}

export function analyzeDomestic(content: string, subject: string, fileCount: number): DomesticAnalysis {
  const unencodable: { index: number; character: string }[] = [];
  let bytes = 0;
  let index = 0;
  for (const character of content) {
    const code = character.charCodeAt(0);
    // the rules' own fast paths (ASCII, Hangul syllables) first: a 2,000-byte text is mostly these
    const length = code < 0x80 ? 1 : code >= 0xac00 && code <= 0xd7a3 ? 2 : characterBytes(character);
    if (length < 0) unencodable.push({ index, character });
    else bytes += length;
    index += character.length;
  }
  let subjectBytes = 0;
  for (const character of subject) subjectBytes += Math.max(0, characterBytes(character));

  const hasSubject = subject !== '';
  let type: DomesticType =
    fileCount > 0 ? 'MMS' : hasSubject || bytes > PROFILE.sms.contentBytes ? 'LMS' : 'SMS';
  let error: DomesticAnalysis['error'] = null;
  if (content !== '' && unencodable.length === 0) {
    try {
      type = resolveDomesticType(
        { content, subject: hasSubject ? subject : undefined, fileCount },
        PROFILE,
      ).type;
    } catch (caught) {
      error = ruleError(caught);
    }
  }
  const limits =
    type === 'SMS'
      ? { contentBytes: PROFILE.sms.contentBytes, subjectBytes: 0 }
      : PROFILE[type === 'LMS' ? 'lms' : 'mms'];
  return {
    kind: 'domestic',
    bytes,
    subjectBytes,
    type,
    limit: limits.contentBytes,
    subjectLimit: limits.subjectBytes,
    unencodable,
    error,
  };
}

export function analyzeInternational(content: string): InternationalAnalysis {
  const nonGsm7 = [...new Set(nonGsm7Characters(content))];
  if (content === '') {
    return {
      kind: 'international',
      encoding: 'GSM7',
      units: 0,
      parts: 0,
      characters: 0,
      nonGsm7,
      error: null,
    };
  }
  try {
    const plan = segment(content);
    return {
      kind: 'international',
      encoding: plan.encoding,
      units: plan.units,
      parts: plan.parts.length,
      characters: plan.characters,
      nonGsm7,
      error: null,
    };
  } catch (caught) {
    const error = ruleError(caught);
    return {
      kind: 'international',
      encoding: nonGsm7.length ? 'UCS2' : 'GSM7',
      units: content.length,
      parts: 0,
      characters: content.length,
      nonGsm7,
      error,
    };
  }
}
