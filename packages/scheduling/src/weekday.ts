import { SchedulingError } from './scheduling-error';

/** Monday first, as ISO 8601 and luxon number them (MON = 1 … SUN = 7). */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The console's "every day" button: all seven days. */
export function everyDay(): Weekday[] {
  return [...WEEKDAYS];
}

/** ISO weekday number, MON = 1 … SUN = 7. */
export function weekdayNumber(day: Weekday): number {
  return WEEKDAYS.indexOf(day) + 1;
}

/**
 * Checks a weekday selection: a non-empty list of MON…SUN, or the word `EVERY_DAY`. Returns the set in week
 * order without repeats (a repeated day selects nothing more, so it is folded rather than refused).
 */
export function normalizeWeekdays(value: unknown, field = 'weekdays'): Weekday[] {
  if (value === 'EVERY_DAY') return everyDay();
  if (!Array.isArray(value) || value.length === 0) {
    throw new SchedulingError(
      'INVALID_WEEKDAYS',
      field,
      `${field} must select at least one of ${WEEKDAYS.join(', ')}`,
    );
  }
  for (const day of value) {
    if (!(WEEKDAYS as readonly unknown[]).includes(day)) {
      throw new SchedulingError('INVALID_WEEKDAYS', field, `${field} may only hold ${WEEKDAYS.join(', ')}`, {
        actual: String(day),
      });
    }
  }
  return WEEKDAYS.filter((day) => value.includes(day));
}

export function isEveryDay(days: readonly Weekday[]): boolean {
  return WEEKDAYS.every((day) => days.includes(day));
}
