import { DateTime } from 'luxon';
import { instantMillis } from './instant';
import { SchedulingError } from './scheduling-error';
import { Schedule } from './schedule';
import { CalendarDate, DstAdjustment, formatCalendarDate, resolveWallTime } from './wall-time';
import { weekdayNumber } from './weekday';

/** One firing of a schedule. */
export interface Occurrence {
  /** when it fires */
  instant: Date;
  /** the day it belongs to, `yyyy-MM-dd` in the schedule's zone (the period and weekdays are judged on this day) */
  date: string;
  /** the wall time the instant shows in the zone, `yyyy-MM-dd HH:mm` (after a DST gap, later than the schedule's time) */
  local: string;
  adjustment: DstAdjustment;
}

/**
 * Every occurrence strictly after `after`, in order, until the period ends. An occurrence is the schedule's time on
 * each selected weekday from startDate through endDate, resolved in its zone by the reservations' DST rule (a missing
 * time runs at the next valid minute; a repeated one once, at its earlier instance). The period is at most
 * six months, so this ends after at most ~184 occurrences.
 */
export function* occurrencesAfter(schedule: Schedule, after: Date): Generator<Occurrence> {
  const afterMs = instantMillis(after, 'after');
  const [hour, minute] = schedule.time.split(':').map(Number) as [number, number];
  const days = new Set(schedule.weekdays.map(weekdayNumber));
  const end = DateTime.fromISO(schedule.endDate, { zone: 'utc' });
  // A day's occurrence can show the next local day (a gap spanning midnight, like Pacific/Apia's skipped day), never
  // two days later, so the day before `after`'s local day is the earliest that can still come after it.
  const afterDay = DateTime.fromMillis(afterMs, { zone: schedule.timeZone }).toISODate() as string;
  const firstCandidate = DateTime.fromISO(afterDay, { zone: 'utc' }).minus({ days: 1 });
  const start = DateTime.fromISO(schedule.startDate, { zone: 'utc' });
  let day = firstCandidate > start ? firstCandidate : start;
  let lastMs = afterMs;
  for (; day <= end; day = day.plus({ days: 1 })) {
    if (!days.has(day.weekday)) continue;
    const date: CalendarDate = { year: day.year, month: day.month, day: day.day };
    const resolved = resolveWallTime({ ...date, hour, minute }, schedule.timeZone);
    const instantMs = resolved.instant.getTime();
    // `> lastMs` both starts strictly after `after` and keeps the sequence strictly increasing even if a zone ever
    // stepped back by more than a day: a repeated instant must never fire twice.
    if (instantMs <= lastMs) continue;
    lastMs = instantMs;
    yield {
      instant: resolved.instant,
      date: formatCalendarDate(date),
      local: resolved.local,
      adjustment: resolved.adjustment,
    };
  }
}

/** The next `count` occurrences strictly after `after`, with their days and DST adjustments. */
export function listOccurrences(schedule: Schedule, after: Date, count: number): Occurrence[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new SchedulingError('INVALID_ARGUMENT', 'count', 'count must be a whole number ≥ 0', {
      actual: String(count),
    });
  }
  const found: Occurrence[] = [];
  if (count === 0) return found;
  for (const occurrence of occurrencesAfter(schedule, after)) {
    found.push(occurrence);
    if (found.length === count) break;
  }
  return found;
}

/** The instants of the next `count` occurrences strictly after `after`: fewer when the period ends first. */
export function nextOccurrences(schedule: Schedule, after: Date, count: number): Date[] {
  return listOccurrences(schedule, after, count).map((occurrence) => occurrence.instant);
}

/** The occurrence firing exactly at `instant`, or null when the schedule has none then. */
export function occurrenceAt(schedule: Schedule, instant: Date): Occurrence | null {
  const instantMs = instantMillis(instant, 'instant');
  const [next] = listOccurrences(schedule, new Date(instantMs - 1), 1);
  return next !== undefined && next.instant.getTime() === instantMs ? next : null;
}
