import { IANAZone } from 'luxon';
import { SchedulingError } from './scheduling-error';

export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/**
 * Canonical names of the zone names seen so far. Building an Intl.DateTimeFormat costs far more than the rest of a
 * reservation's checks, and the names in use are few; only valid names are kept, and at most this many.
 */
const canonicalNames = new Map<string, string>();
const CANONICAL_NAMES_KEPT = 1_000;

/**
 * Checks an IANA zone name and returns its canonical spelling (`asia/seoul` → `Asia/Seoul`; the runtime's ICU
 * may also map a legacy link such as `US/Eastern` to `America/New_York`). Fixed offsets such as `+09:00` are
 * refused: a schedule must follow its zone's daylight-saving rules, which an offset cannot.
 */
export function canonicalTimeZone(zone: unknown, field: string): string {
  const known = typeof zone === 'string' ? canonicalNames.get(zone) : undefined;
  if (known !== undefined) return known;
  if (typeof zone !== 'string' || zone.trim() === '' || !IANAZone.isValidZone(zone)) {
    throw new SchedulingError(
      'UNKNOWN_TIME_ZONE',
      field,
      `${field} must be an IANA time zone name such as Asia/Seoul`,
      {
        actual: typeof zone === 'string' ? zone : String(zone),
      },
    );
  }
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  if (canonicalNames.size < CANONICAL_NAMES_KEPT) canonicalNames.set(zone, canonical);
  return canonical;
}
