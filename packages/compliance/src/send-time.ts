import { DateTime } from 'luxon';
import { ComplianceError } from './compliance-error';

/** SENS's reservation format, read in `reserveTimeZone` (default Asia/Seoul). */
const SENS_RESERVE_FORMAT = 'yyyy-MM-dd HH:mm';

export const DEFAULT_RESERVE_TIME_ZONE = 'Asia/Seoul';

/**
 * The instant a reservation names. Accepts SENS's `yyyy-MM-dd HH:mm` and ISO-8601; a time without an offset
 * is read in `zone`, one with an offset (or Z) keeps it. Throws INVALID_SEND_TIME on `field`.
 */
export function parseReserveTime(
  reserveTime: string,
  zone: string = DEFAULT_RESERVE_TIME_ZONE,
  field = 'reserveTime',
): Date {
  if (!DateTime.local().setZone(zone).isValid) {
    throw new ComplianceError('INVALID_SEND_TIME', 'reserveTimeZone', `'${zone}' is not an IANA time zone`);
  }
  const text = String(reserveTime ?? '').trim();
  let dt = DateTime.fromFormat(text, SENS_RESERVE_FORMAT, { zone });
  if (!dt.isValid) dt = DateTime.fromISO(text, { zone, setZone: false });
  if (!dt.isValid) {
    throw new ComplianceError(
      'INVALID_SEND_TIME',
      field,
      `'${text}' is not a time (use ${SENS_RESERVE_FORMAT} or ISO-8601)`,
    );
  }
  return dt.toJSDate();
}
