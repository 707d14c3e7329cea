import { DateTime, IANAZone } from 'luxon';
import { SchedulingError } from './scheduling-error';

/** A reading of a wall clock in some zone, to the minute. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** A calendar day, independent of any zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * How a wall time became an instant:
 * - `NONE`: the wall time exists exactly once in its zone;
 * - `DST_GAP_SHIFTED`: it does not exist (clocks jumped over it); the instant is the next valid minute, the first
 *   minute after the jump (America/New_York 2026-03-08 02:30 → 03:00 EDT);
 * - `DST_OVERLAP_EARLIER`: it exists twice (clocks went back); the instant is the earlier one, before the change
 *   (America/New_York 2026-11-01 01:30 → 01:30 EDT, not 01:30 EST).
 */
export type DstAdjustment = 'NONE' | 'DST_GAP_SHIFTED' | 'DST_OVERLAP_EARLIER';

export interface ResolvedWallTime {
  instant: Date;
  /** the wall time the instant actually shows in the zone, `yyyy-MM-dd HH:mm` (differs from the request after a gap) */
  local: string;
  adjustment: DstAdjustment;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/**
 * The instant of a wall time lies within ±14 h of that wall time read as UTC (no zone is further from UTC), so the
 * offsets in force 18 h either side are the ones before and after a change that can touch it. Two changes less than
 * 36 h apart would hide one (none of the zones tested here has such a pair). (Two samples, not more: each offset lookup
 * is an Intl call, and this runs for every occurrence.)
 */
const OFFSET_SAMPLE_HOURS = [-18, 18];

const DATE_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

/** Parses `yyyy-MM-dd` strictly (zero-padded, a real calendar day). */
export function parseCalendarDate(text: unknown, field: string): CalendarDate {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (!match) {
    throw new SchedulingError('INVALID_FORMAT', field, `${field} must be a date written yyyy-MM-dd`, {
      actual: String(text),
    });
  }
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  assertRealDate(date, field, text as string);
  return date;
}

/** Parses `HH:mm` strictly (00:00 … 23:59). */
export function parseClockTime(text: unknown, field: string): { hour: number; minute: number } {
  const match = typeof text === 'string' ? TIME_PATTERN.exec(text) : null;
  if (!match) {
    throw new SchedulingError('INVALID_FORMAT', field, `${field} must be a time written HH:mm`, {
      actual: String(text),
    });
  }
  const time = { hour: Number(match[1]), minute: Number(match[2]) };
  assertRealTime(time, field, text as string);
  return time;
}

/** Parses `yyyy-MM-dd HH:mm` strictly. */
export function parseWallTime(text: unknown, field: string): WallTime {
  const match = typeof text === 'string' ? DATE_TIME_PATTERN.exec(text) : null;
  if (!match) {
    throw new SchedulingError('INVALID_FORMAT', field, `${field} must be written yyyy-MM-dd HH:mm`, {
      actual: String(text),
    });
  }
  const wall = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
  };
  assertRealDate(wall, field, text as string);
  assertRealTime(wall, field, text as string);
  return wall;
}

/** Years outside this range are refused: tz data before 1970 is patchy, and `Date.UTC` reads years 0–99 as 19xx. */
export const MIN_YEAR = 1970;

function assertRealDate(date: CalendarDate, field: string, text: string): void {
  if (date.year < MIN_YEAR) {
    throw new SchedulingError('INVALID_DATE', field, `${field} must be in ${MIN_YEAR} or later: ${text}`, {
      limit: MIN_YEAR,
      actual: text,
    });
  }
  if (!DateTime.utc(date.year, date.month, date.day).isValid) {
    throw new SchedulingError('INVALID_DATE', field, `${field} names a day that does not exist: ${text}`, {
      actual: text,
    });
  }
}

function assertRealTime(time: { hour: number; minute: number }, field: string, text: string): void {
  if (time.hour > 23 || time.minute > 59) {
    throw new SchedulingError('INVALID_TIME', field, `${field} names a time that does not exist: ${text}`, {
      actual: text,
    });
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-MM-dd` */
export function formatCalendarDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** `yyyy-MM-dd HH:mm` */
export function formatWallTime(wall: WallTime): string {
  return `${formatCalendarDate(wall)} ${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** The wall time an instant shows in a zone, `yyyy-MM-dd HH:mm`. */
export function formatLocal(instant: Date | number, zone: string): string {
  const millis = typeof instant === 'number' ? instant : instant.getTime();
  return DateTime.fromMillis(millis, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/**
 * Turns a wall time in a zone into one instant, deterministically across daylight-saving changes: the instant is
 * the first minute whose wall-clock reading is at or after the requested one. That single rule gives both cases of
 * {@link DstAdjustment}: in an overlap the earlier of the two instants; in a gap the minute the clocks jumped to.
 *
 * luxon supplies the zone's offsets (from the runtime's tz database). The search is written here because luxon's
 * own `fromObject` moves a gap time forward by the gap's length (02:30 → 03:30) rather than to the next valid
 * minute, and does not say that it did.
 */
export function resolveWallTime(wall: WallTime, zone: string): ResolvedWallTime {
  const tz = IANAZone.create(zone);
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const wallAt = (t: number): number => t + tz.offset(t) * MINUTE_MS;
  const offsets = [...new Set(OFFSET_SAMPLE_HOURS.map((h) => tz.offset(wallMs + h * HOUR_MS)))];
  const candidates = offsets.map((offset) => wallMs - offset * MINUTE_MS).sort((a, b) => a - b);
  const exact = candidates.filter((t) => wallAt(t) === wallMs);

  let instantMs: number;
  let adjustment: DstAdjustment;
  if (exact.length > 0) {
    instantMs = exact[0] as number;
    adjustment = exact.length > 1 ? 'DST_OVERLAP_EARLIER' : 'NONE';
  } else {
    // A gap: the earliest candidate reads before the requested time, the latest after it; bisect on whole minutes
    // for the first minute that reads after it.
    let before = candidates[0] as number;
    let after = candidates[candidates.length - 1] as number;
    while (after - before > MINUTE_MS) {
      const middle = before + Math.floor((after - before) / MINUTE_MS / 2) * MINUTE_MS;
      if (wallAt(middle) > wallMs) after = middle;
      else before = middle;
    }
    instantMs = after;
    adjustment = 'DST_GAP_SHIFTED';
  }
  // An exact match shows the requested wall time itself; only a shifted one needs formatting.
  const local = adjustment === 'DST_GAP_SHIFTED' ? formatLocal(instantMs, zone) : formatWallTime(wall);
  return { instant: new Date(instantMs), local, adjustment };
}
