import { SchedulingError, type SchedulingErrorCode } from '@munja/scheduling';
import { ApiError } from '../common/api-error';

/**
 * A well-formed schedule that breaks a rule (its period, a wrong delete confirmation) is a 422; anything
 * malformed (code, weekdays, time, zone, dates, an unknown field) is a 400.
 */
const UNPROCESSABLE: ReadonlySet<SchedulingErrorCode> = new Set([
  'PERIOD_END_BEFORE_START',
  'PERIOD_TOO_LONG',
  'PERIOD_ALREADY_ENDED',
  'DELETE_CONFIRMATION_MISMATCH',
]);

/** Runs `work`, answering a SchedulingError as an API error with its code and field. */
export function asApiError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof SchedulingError)) throw error;
    throw new ApiError(UNPROCESSABLE.has(error.code) ? 422 : 400, error.code, error.message, error.field);
  }
}

export function scheduleNotFound(code: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `Schedule ${code} not found`, 'code');
}

export function scheduleCodeTaken(code: string): ApiError {
  return ApiError.conflict('SCHEDULE_CODE_TAKEN', `the project already has a schedule ${code}`, 'code');
}

/** PostgreSQL's unique_violation on the live-code index. */
export function isCodeClash(error: unknown): boolean {
  const cause = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const pg = cause as { code?: string; constraint?: string };
  return pg.code === '23505' && pg.constraint === 'schedules_code';
}
