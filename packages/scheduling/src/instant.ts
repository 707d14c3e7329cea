import { SchedulingError } from './scheduling-error';

/** Checks a Date handed in by the calling code (the clock, a cursor) and returns its epoch milliseconds. */
export function instantMillis(value: unknown, field: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new SchedulingError('INVALID_ARGUMENT', field, `${field} must be a valid Date`);
  }
  return value.getTime();
}

export function nonNegativeMillis(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SchedulingError(
      'INVALID_ARGUMENT',
      field,
      `${field} must be a finite number of milliseconds ≥ 0`,
      {
        actual: String(value),
      },
    );
  }
  return value;
}
