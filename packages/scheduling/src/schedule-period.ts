import { DateTime } from 'luxon';
import { SchedulingError } from './scheduling-error';
import { CalendarDate, formatCalendarDate } from './wall-time';

/** The longest active period: its end may be at most this many calendar months after its start. */
export const MAX_PERIOD_MONTHS = 6;

/**
 * The last day a period starting on `start` may end on: `start` plus 6 calendar months (luxon), which keeps the day
 * of month and clamps it to the target month's length. So 2026-01-15 → 2026-07-15, 2028-02-29 → 2028-08-29 (not the
 * end of August), 2026-08-31 → 2027-02-28 and 2027-08-31 → 2028-02-29.
 */
export function latestPeriodEnd(start: CalendarDate): CalendarDate {
  const limit = DateTime.utc(start.year, start.month, start.day).plus({ months: MAX_PERIOD_MONTHS });
  return { year: limit.year, month: limit.month, day: limit.day };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Checks start ≤ end ≤ start + 6 months (both days included in the period). */
export function assertPeriod(start: CalendarDate, end: CalendarDate): void {
  if (compareDates(end, start) < 0) {
    throw new SchedulingError(
      'PERIOD_END_BEFORE_START',
      'endDate',
      `endDate ${formatCalendarDate(end)} is before startDate ${formatCalendarDate(start)}`,
      { limit: formatCalendarDate(start), actual: formatCalendarDate(end) },
    );
  }
  const limit = latestPeriodEnd(start);
  if (compareDates(end, limit) > 0) {
    throw new SchedulingError(
      'PERIOD_TOO_LONG',
      'endDate',
      `a schedule may run at most ${MAX_PERIOD_MONTHS} months: endDate must be on or before ${formatCalendarDate(limit)}`,
      { limit: formatCalendarDate(limit), actual: formatCalendarDate(end) },
    );
  }
}
