import { instantMillis } from './instant';
import { SchedulingError } from './scheduling-error';

/**
 * The identity of one occurrence: `<scheduleId>@<instant as UTC ISO-8601 with milliseconds>`, e.g.
 * `42@2026-03-08T07:00:00.000Z`. It depends only on the schedule's id and the instant, never on the machine's zone or
 * clock, so every server process computing the same occurrence derives the same key; the server stores it under a
 * UNIQUE constraint to fire each occurrence once. The ISO part has a fixed length, so the key splits unambiguously
 * from the right even when the id itself contains `@`.
 */
export function occurrenceKey(scheduleId: string | number, instant: Date): string {
  const id =
    typeof scheduleId === 'number' && Number.isSafeInteger(scheduleId) ? String(scheduleId) : scheduleId;
  if (typeof id !== 'string' || id.length === 0) {
    throw new SchedulingError(
      'INVALID_SCHEDULE_ID',
      'scheduleId',
      'scheduleId must be a non-empty string or an integer',
    );
  }
  return `${id}@${new Date(instantMillis(instant, 'instant')).toISOString()}`;
}

/** Splits a key made by {@link occurrenceKey} back into its parts. */
export function parseOccurrenceKey(key: string): { scheduleId: string; instant: Date } {
  const at = key.lastIndexOf('@');
  const instant = new Date(key.slice(at + 1));
  if (at <= 0 || Number.isNaN(instant.getTime()) || instant.toISOString() !== key.slice(at + 1)) {
    throw new SchedulingError('INVALID_ARGUMENT', 'occurrenceKey', `not an occurrence key: ${key}`);
  }
  return { scheduleId: key.slice(0, at), instant };
}
