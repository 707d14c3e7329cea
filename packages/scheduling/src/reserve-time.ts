import { instantMillis } from './instant';
import { SchedulingError } from './scheduling-error';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from './time-zone';
import { DstAdjustment, formatLocal, parseWallTime, resolveWallTime } from './wall-time';

export const DEFAULT_HORIZON_DAYS = 180;
const DAY_MS = 86_400_000;

export interface ReserveTimeInput {
  /** `yyyy-MM-dd HH:mm`, a wall time in `reserveTimeZone` */
  reserveTime: string;
  /** an IANA zone name; `Asia/Seoul` when absent */
  reserveTimeZone?: string;
}

export interface ReserveTimeOptions {
  /** the current time: the reservation must be strictly after it */
  now: Date;
  /** how far ahead a reservation may be, as a duration of whole 24-hour days from `now` (default 180) */
  horizonDays?: number;
}

export interface ResolvedReserveTime {
  /** when the reservation is due */
  instant: Date;
  /** the canonical zone name */
  zone: string;
  /** the wall time the instant shows in the zone, `yyyy-MM-dd HH:mm` (not the request's after a DST gap) */
  local: string;
  /** the wall time as requested */
  requested: string;
  adjustment: DstAdjustment;
}

/**
 * Turns a reservation's wall time into the instant it is due. DST gaps and overlaps resolve as
 * {@link resolveWallTime} says. The instant must be strictly after `now` and at most `horizonDays` × 24 h after it
 * (the horizon instant itself is allowed).
 */
export function resolveReserveTime(
  input: ReserveTimeInput,
  options: ReserveTimeOptions,
): ResolvedReserveTime {
  const nowMs = instantMillis(options.now, 'now');
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizonDays) || horizonDays <= 0) {
    throw new SchedulingError(
      'INVALID_ARGUMENT',
      'horizonDays',
      'horizonDays must be a positive whole number',
      {
        actual: String(horizonDays),
      },
    );
  }
  const wall = parseWallTime(input.reserveTime, 'reserveTime');
  const zone = canonicalTimeZone(input.reserveTimeZone ?? DEFAULT_TIME_ZONE, 'reserveTimeZone');
  const resolved = resolveWallTime(wall, zone);
  const instantMs = resolved.instant.getTime();

  if (instantMs <= nowMs) {
    throw new SchedulingError(
      'RESERVE_TIME_IN_PAST',
      'reserveTime',
      `reserveTime ${input.reserveTime} (${zone}) is not in the future; it is now ${formatLocal(nowMs, zone)} there`,
      { limit: new Date(nowMs).toISOString(), actual: resolved.instant.toISOString() },
    );
  }
  const horizonMs = nowMs + horizonDays * DAY_MS;
  if (instantMs > horizonMs) {
    throw new SchedulingError(
      'RESERVE_TIME_BEYOND_HORIZON',
      'reserveTime',
      `reserveTime may be at most ${horizonDays} days ahead, until ${formatLocal(horizonMs, zone)} (${zone})`,
      { limit: new Date(horizonMs).toISOString(), actual: resolved.instant.toISOString() },
    );
  }
  return {
    instant: resolved.instant,
    zone,
    local: resolved.local,
    requested: input.reserveTime,
    adjustment: resolved.adjustment,
  };
}
