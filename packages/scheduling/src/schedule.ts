import { instantMillis } from './instant';
import { SchedulingError } from './scheduling-error';
import { assertPeriod } from './schedule-period';
import { canonicalTimeZone, DEFAULT_TIME_ZONE } from './time-zone';
import { formatCalendarDate, parseCalendarDate, parseClockTime, resolveWallTime } from './wall-time';
import { normalizeWeekdays, Weekday } from './weekday';

export const SCHEDULE_CODE_MAX_LENGTH = 64;
export const SCHEDULE_DESCRIPTION_MAX_LENGTH = 500;
const SCHEDULE_CODE_PATTERN = /^[A-Za-z0-9_-]+$/;

/** A recurring schedule as stored: already validated and normalized. */
export interface Schedule {
  /** unique per project (the server checks that); letters, digits, `-`, `_` */
  code: string;
  /** a non-empty set, in week order */
  weekdays: Weekday[];
  /** `HH:mm`, a wall time in `timeZone` */
  time: string;
  /** a canonical IANA zone name */
  timeZone: string;
  /** first day of the active period, `yyyy-MM-dd` in `timeZone` (included) */
  startDate: string;
  /** last day of the active period, `yyyy-MM-dd` in `timeZone` (included); at most 6 months after startDate */
  endDate: string;
  description: string;
  /** a disabled schedule keeps its occurrences but they are SKIPped */
  enabled: boolean;
}

export interface ScheduleInput {
  code: string;
  /** MON…SUN, or `EVERY_DAY` for all seven */
  weekdays: readonly Weekday[] | 'EVERY_DAY';
  time: string;
  /** default `Asia/Seoul` */
  timeZone?: string;
  startDate: string;
  endDate: string;
  description?: string;
  /** default true */
  enabled?: boolean;
}

export type SchedulePatch = Partial<ScheduleInput>;

export interface ScheduleValidationOptions {
  /** when given, a period whose last day is already over in the schedule's zone is refused (PERIOD_ALREADY_ENDED) */
  now?: Date;
}

const SCHEDULE_FIELDS: readonly (keyof ScheduleInput)[] = [
  'code',
  'weekdays',
  'time',
  'timeZone',
  'startDate',
  'endDate',
  'description',
  'enabled',
];

export function validateScheduleCode(code: unknown, field = 'code'): string {
  if (typeof code !== 'string' || code.length === 0 || code.length > SCHEDULE_CODE_MAX_LENGTH) {
    throw new SchedulingError(
      'INVALID_SCHEDULE_CODE',
      field,
      `${field} must be 1 to ${SCHEDULE_CODE_MAX_LENGTH} characters long`,
      { limit: SCHEDULE_CODE_MAX_LENGTH, actual: typeof code === 'string' ? code.length : String(code) },
    );
  }
  if (!SCHEDULE_CODE_PATTERN.test(code)) {
    throw new SchedulingError(
      'INVALID_SCHEDULE_CODE',
      field,
      `${field} may hold only letters, digits, - and _`,
      {
        actual: code,
      },
    );
  }
  return code;
}

/** Checks a whole schedule and returns its normalized form. The first problem found is thrown. */
export function validateSchedule(input: ScheduleInput, options: ScheduleValidationOptions = {}): Schedule {
  assertKnownFields(input);
  const code = validateScheduleCode(input.code);
  const weekdays = normalizeWeekdays(input.weekdays);
  parseClockTime(input.time, 'time');
  const timeZone = canonicalTimeZone(input.timeZone ?? DEFAULT_TIME_ZONE, 'timeZone');
  const start = parseCalendarDate(input.startDate, 'startDate');
  const end = parseCalendarDate(input.endDate, 'endDate');
  assertPeriod(start, end);
  const description = input.description ?? '';
  if (typeof description !== 'string' || description.length > SCHEDULE_DESCRIPTION_MAX_LENGTH) {
    throw new SchedulingError(
      'INVALID_DESCRIPTION',
      'description',
      `description must be text of at most ${SCHEDULE_DESCRIPTION_MAX_LENGTH} characters`,
      {
        limit: SCHEDULE_DESCRIPTION_MAX_LENGTH,
        actual: typeof description === 'string' ? description.length : '',
      },
    );
  }
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') {
    throw new SchedulingError('INVALID_ARGUMENT', 'enabled', 'enabled must be true or false');
  }
  if (options.now !== undefined) {
    const nowMs = instantMillis(options.now, 'now');
    // The period ends when the day after endDate begins in the schedule's zone.
    const dayAfterEnd = new Date(Date.UTC(end.year, end.month - 1, end.day + 1));
    const endOfPeriod = resolveWallTime(
      {
        year: dayAfterEnd.getUTCFullYear(),
        month: dayAfterEnd.getUTCMonth() + 1,
        day: dayAfterEnd.getUTCDate(),
        hour: 0,
        minute: 0,
      },
      timeZone,
    );
    if (endOfPeriod.instant.getTime() <= nowMs) {
      throw new SchedulingError(
        'PERIOD_ALREADY_ENDED',
        'endDate',
        `the period ending ${input.endDate} is already over`,
        {
          actual: formatCalendarDate(end),
        },
      );
    }
  }
  return {
    code,
    weekdays,
    time: input.time,
    timeZone,
    startDate: input.startDate,
    endDate: input.endDate,
    description,
    enabled,
  };
}

/**
 * An update: the patch's fields replace the schedule's, and the result is validated as a whole (so a new start date
 * is checked against the kept end date). Returns a new schedule; the given one is not changed.
 */
export function updateSchedule(
  current: Schedule,
  patch: SchedulePatch,
  options: ScheduleValidationOptions = {},
): Schedule {
  assertKnownFields(patch);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return validateSchedule({ ...current, ...defined }, options);
}

/**
 * Deleting a schedule asks for its code again, as the console does. Throws DELETE_CONFIRMATION_MISMATCH unless the
 * confirmation equals the code exactly (case and all; no trimming).
 */
export function confirmScheduleDeletion(schedule: Pick<Schedule, 'code'>, confirmationCode: unknown): void {
  if (confirmationCode !== schedule.code) {
    throw new SchedulingError(
      'DELETE_CONFIRMATION_MISMATCH',
      'confirmationCode',
      'to delete a schedule, type its code exactly as confirmation',
    );
  }
}

function assertKnownFields(input: object): void {
  for (const key of Object.keys(input)) {
    if (!(SCHEDULE_FIELDS as readonly string[]).includes(key)) {
      throw new SchedulingError('UNKNOWN_FIELD', key, `a schedule has no field ${key}`);
    }
  }
}
