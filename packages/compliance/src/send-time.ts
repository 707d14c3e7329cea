import {
  canonicalTimeZone,
  parseWallTime,
  resolveWallTime,
  SchedulingError,
  type WallTime,
} from '@munja/scheduling';
import { DateTime } from 'luxon';
import { ComplianceError } from './compliance-error';

/** SENS's reservation format, read in `reserveTimeZone` (default Asia/Seoul). */
const SENS_RESERVE_FORMAT = 'yyyy-MM-dd HH:mm';
const SENS_RESERVE_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

/** An ISO-8601 text whose time carries its own offset (`Z`, `+09:00`, `-0500`, `+09`): it names one instant. */
const ISO_WITH_OFFSET = /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

export const DEFAULT_RESERVE_TIME_ZONE = 'Asia/Seoul';

function invalid(field: string, error: unknown): ComplianceError {
  if (error instanceof SchedulingError) return new ComplianceError('INVALID_SEND_TIME', field, error.message);
  throw error;
}

/**
 * The instant a reservation names. Accepts SENS's `yyyy-MM-dd HH:mm` and ISO-8601. A text with an offset (or Z)
 * is that instant. A wall time without one is read in `zone` by @munja/scheduling's rule, the one every
 * reservation and schedule of the platform follows (`resolveWallTime`): a time the clocks skipped is the first
 * minute after the jump (America/New_York 2026-03-08 02:30 → 03:00 EDT = 07:00Z), a time they repeated is the
 * earlier instant (2026-11-01 01:30 → 01:30 EDT = 05:30Z). Seconds of an ISO time are kept within the minute
 * the rule gives. Throws INVALID_SEND_TIME on `field` (or on `reserveTimeZone` for an unknown zone).
 */
export function parseReserveTime(
  reserveTime: string,
  zone: string = DEFAULT_RESERVE_TIME_ZONE,
  field = 'reserveTime',
): Date {
  let canonicalZone: string;
  try {
    canonicalZone = canonicalTimeZone(zone, 'reserveTimeZone');
  } catch (error) {
    throw invalid('reserveTimeZone', error);
  }
  const text = String(reserveTime ?? '').trim();
  if (SENS_RESERVE_PATTERN.test(text)) {
    let wall: WallTime;
    try {
      wall = parseWallTime(text, field);
    } catch (error) {
      throw invalid(field, error);
    }
    return resolveWallTime(wall, canonicalZone).instant;
  }

  // luxon reads the ISO-8601 fields only: in UTC and with setZone, a text without an offset gives its wall
  // fields unchanged, and the zone's rule is applied below by scheduling, never by luxon's defaults.
  const iso = DateTime.fromISO(text, { zone: 'utc', setZone: true });
  if (!iso.isValid) {
    throw new ComplianceError(
      'INVALID_SEND_TIME',
      field,
      `'${text}' is not a time (use ${SENS_RESERVE_FORMAT} or ISO-8601)`,
    );
  }
  if (ISO_WITH_OFFSET.test(text)) return iso.toJSDate();
  let wall: WallTime;
  try {
    wall = parseWallTime(iso.toFormat(SENS_RESERVE_FORMAT), field);
  } catch (error) {
    throw invalid(field, error);
  }
  const instant = resolveWallTime(wall, canonicalZone).instant;
  return new Date(instant.getTime() + iso.second * 1000 + iso.millisecond);
}
