import { IANAZone } from 'luxon';
import { SchedulingError } from './scheduling-error';

export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/**
 * Checks an IANA zone name and returns its canonical spelling (`asia/seoul` → `Asia/Seoul`; the runtime's ICU
 * may also map a legacy link such as `US/Eastern` to `America/New_York`). Fixed offsets such as `+09:00` are
 * refused: a schedule must follow its zone's daylight-saving rules, which an offset cannot.
 */
export function canonicalTimeZone(zone: unknown, field: string): string {
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
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}
