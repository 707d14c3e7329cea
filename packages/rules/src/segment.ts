import { graphemeClusterEnds, standaloneSurrogatePairs } from './grapheme-cluster';
import { GSM7_SEPTETS } from './gsm7';
import { RuleError } from './rule-error';

export type SmsEncoding = 'GSM7' | 'UCS2';

/** One SMS carries 140 octets: 160 GSM-7 septets or 70 UCS-2 code units. */
export const SINGLE_PART_UNITS = { GSM7: 160, UCS2: 70 } as const;
/** A concatenated part loses 6 octets to its user data header: 153 septets or 67 code units remain. */
export const CONCATENATED_PART_UNITS = { GSM7: 153, UCS2: 67 } as const;
/** Infobank OMNI's international limit: 5 parts (765 GSM-7 / 335 UCS-2 characters). */
export const DEFAULT_MAX_PARTS = 5;

export interface SegmentOptions {
  /** more parts than this throws TOO_MANY_PARTS (default 5) */
  maxParts?: number;
  /** request field named in errors (default 'content') */
  field?: string;
}

export interface SegmentPlan {
  encoding: SmsEncoding;
  /** the text cut into the parts the carrier will receive, in order; joined they give the text back */
  parts: string[];
  /** total size in the encoding's units: GSM-7 septets (an extension character is 2) or UCS-2 code units */
  units: number;
  /** user-perceived characters (grapheme clusters; CR and LF count apart) */
  characters: number;
}

/**
 * Plans an international SMS: GSM-7 when every character is in the GSM 03.38 basic or extension table,
 * else UCS-2 for the whole message; one part up to 160 septets / 70 code units, else parts of 153 / 67.
 * A part never ends inside an extension escape pair, a surrogate pair or a grapheme cluster (a cluster
 * longer than a whole part, which only pathological combining sequences reach, is cut between code points).
 *
 * Hand-written rather than delegated to sms-segments-calculator: that package splits every message into
 * grapheme objects and runs ~1,600 messages/s here, too slow for a dispatch path (see bench/).
 */
export function segment(text: string, options: SegmentOptions = {}): SegmentPlan {
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  const field = options.field ?? 'content';
  if (!Number.isInteger(maxParts) || maxParts < 1) {
    throw new RangeError(`segment: maxParts must be a whole number ≥ 1, got ${maxParts}`);
  }
  if (text.length === 0) {
    throw new RuleError('CONTENT_EMPTY', field, `${field} is empty: there is nothing to send`);
  }

  const layout = layOutGsm7(text) ?? layOutUcs2(text);
  // Counted before any part is cut out: an over-long message costs no string copies.
  const partCount = layout.cuts.length + 1;
  if (partCount > maxParts) {
    const perPart = CONCATENATED_PART_UNITS[layout.encoding];
    throw new RuleError(
      'TOO_MANY_PARTS',
      field,
      `${field} needs ${partCount} ${layout.encoding} parts (${layout.units} units); at most ${maxParts} are allowed (${maxParts * perPart} units)`,
      { limit: maxParts, actual: partCount },
    );
  }
  return {
    encoding: layout.encoding,
    parts: cut(text, layout.cuts),
    units: layout.units,
    characters: layout.characters,
  };
}

/** Where the parts go, before any string is cut: `cuts` are the UTF-16 offsets where parts 2, 3... start. */
interface Layout {
  encoding: SmsEncoding;
  cuts: number[];
  units: number;
  characters: number;
}

function cut(text: string, cuts: readonly number[]): string[] {
  if (cuts.length === 0) return [text];
  const parts: string[] = [];
  let start = 0;
  for (const offset of cuts) {
    parts.push(text.slice(start, offset));
    start = offset;
  }
  parts.push(text.slice(start));
  return parts;
}

/** The GSM-7 layout, or undefined as soon as a character is not GSM-7. One pass: cuts are noted as it goes. */
function layOutGsm7(text: string): Layout | undefined {
  const perPart = CONCATENATED_PART_UNITS.GSM7;
  const length = text.length;
  const cuts: number[] = [];
  let septets = 0;
  let used = 0;
  for (let i = 0; i < length; i++) {
    const s = GSM7_SEPTETS[text.charCodeAt(i)] ?? 0;
    if (s === 0) return undefined;
    septets += s;
    // An extension character is ESC + code: when only one septet is left it opens the next part.
    if (used + s > perPart) {
      cuts.push(i);
      used = 0;
    }
    used += s;
  }
  // Every GSM-7 character is one UTF-16 code unit and its own grapheme cluster.
  const fitsOnePart = septets <= SINGLE_PART_UNITS.GSM7;
  return { encoding: 'GSM7', cuts: fitsOnePart ? [] : cuts, units: septets, characters: length };
}

function layOutUcs2(text: string): Layout {
  const units = text.length;
  const fitsOnePart = units <= SINGLE_PART_UNITS.UCS2;
  const surrogatePairs = standaloneSurrogatePairs(text);
  if (surrogatePairs >= 0) {
    // Every code point is its own cluster: only surrogate pairs must stay whole.
    const characters = units - surrogatePairs;
    if (fitsOnePart) return { encoding: 'UCS2', cuts: [], units, characters };
    if (surrogatePairs === 0) {
      const cuts: number[] = [];
      for (
        let offset = CONCATENATED_PART_UNITS.UCS2;
        offset < units;
        offset += CONCATENATED_PART_UNITS.UCS2
      ) {
        cuts.push(offset);
      }
      return { encoding: 'UCS2', cuts, units, characters };
    }
    return { encoding: 'UCS2', cuts: pack(codePointEnds(text)), units, characters };
  }
  const clusterEnds = graphemeClusterEnds(text);
  const characters = clusterEnds.length;
  if (fitsOnePart) return { encoding: 'UCS2', cuts: [], units, characters };
  return { encoding: 'UCS2', cuts: pack(splitOversizedClusters(text, clusterEnds)), units, characters };
}

function codePointEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length;) {
    i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    ends.push(i);
  }
  return ends;
}

/** A cluster that cannot fit one part on its own is cut between its code points (never in a surrogate pair). */
function splitOversizedClusters(text: string, clusterEnds: number[]): number[] {
  const perPart = CONCATENATED_PART_UNITS.UCS2;
  let start = 0;
  let oversized = false;
  for (const end of clusterEnds) {
    if (end - start > perPart) oversized = true;
    start = end;
  }
  if (!oversized) return clusterEnds;
  const ends: number[] = [];
  start = 0;
  for (const end of clusterEnds) {
    if (end - start > perPart) {
      for (let i = start; i < end;) {
        i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
        ends.push(i);
      }
    } else {
      ends.push(end);
    }
    start = end;
  }
  return ends;
}

/**
 * Greedy fill of UCS-2 parts, as carriers and sms-segments-calculator do: a unit (cluster, or code point of
 * an oversized cluster) that does not fit opens the next part. Returns the cut offsets.
 */
function pack(unitEnds: readonly number[]): number[] {
  const perPart = CONCATENATED_PART_UNITS.UCS2;
  const cuts: number[] = [];
  let partStart = 0;
  let unitStart = 0;
  for (const end of unitEnds) {
    if (end - partStart > perPart) {
      cuts.push(unitStart);
      partStart = unitStart;
    }
    unitStart = end;
  }
  return cuts;
}
