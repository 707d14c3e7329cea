/** Stable, machine-readable codes for every refusal of @munja/scheduling. */
export type SchedulingErrorCode =
  /** the text does not have the required shape (`yyyy-MM-dd HH:mm`, `yyyy-MM-dd`, `HH:mm`) */
  | 'INVALID_FORMAT'
  /** the shape is right but the calendar has no such day (2026-02-30, 2026-13-01) */
  | 'INVALID_DATE'
  /** the shape is right but the clock has no such time (24:00, 12:60) */
  | 'INVALID_TIME'
  | 'UNKNOWN_TIME_ZONE'
  | 'RESERVE_TIME_IN_PAST'
  | 'RESERVE_TIME_BEYOND_HORIZON'
  /** a parameter given by the calling code (not by the end user) is unusable: a bad `now`, horizon, count, grace */
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_STATUS'
  | 'TRANSITION_REFUSED'
  | 'RESERVATION_NOT_CANCELABLE'
  | 'INVALID_SCHEDULE_CODE'
  | 'INVALID_WEEKDAYS'
  | 'PERIOD_END_BEFORE_START'
  | 'PERIOD_TOO_LONG'
  | 'PERIOD_ALREADY_ENDED'
  | 'INVALID_DESCRIPTION'
  | 'UNKNOWN_FIELD'
  | 'DELETE_CONFIRMATION_MISMATCH'
  | 'INVALID_SCHEDULE_ID'
  | 'NOT_AN_OCCURRENCE'
  | 'NO_TEMPLATES'
  | 'DUPLICATE_TEMPLATE';

export interface SchedulingErrorDetails {
  /** the limit that was passed, in the unit of the rule (an ISO date, a number of characters, a horizon instant) */
  limit?: string | number;
  /** what was given, in the same unit */
  actual?: string | number;
  /** for TRANSITION_REFUSED / RESERVATION_NOT_CANCELABLE: the states involved */
  from?: string;
  to?: string;
}

/** The one error class of @munja/scheduling: a stable `code`, the `field` it concerns, a readable message. */
export class SchedulingError extends Error {
  override readonly name = 'SchedulingError';

  constructor(
    readonly code: SchedulingErrorCode,
    readonly field: string,
    message: string,
    readonly details: SchedulingErrorDetails = {},
  ) {
    super(message);
  }
}
