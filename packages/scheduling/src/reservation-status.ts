import { SchedulingError } from './scheduling-error';

/**
 * A reservation's life (the SENS console's statuses):
 * READY (waiting; the only cancelable state) → PROCESSING (its time came) → DONE (every message handed to a
 * provider) | FAIL (it could not be sent at its time); READY → CANCELED (by the user) | STALE (not started within
 * the grace window after its time; never sent late) | SKIP (a schedule occurrence that must not run).
 */
export const RESERVATION_STATUSES = [
  'READY',
  'PROCESSING',
  'DONE',
  'FAIL',
  'CANCELED',
  'STALE',
  'SKIP',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * Why an occurrence was skipped; the server records it beside the SKIP status. SCHEDULE_ENDED: its day is no longer
 * inside the period; SCHEDULE_CHANGED: the schedule no longer fires at that instant (its time, weekdays or zone were
 * updated); SCHEDULE_DISABLED; AD_NIGHT_WINDOW: an advertising occurrence inside the night window (decided by
 * @munja/compliance, recorded here).
 */
export type SkipReason = 'SCHEDULE_ENDED' | 'SCHEDULE_CHANGED' | 'SCHEDULE_DISABLED' | 'AD_NIGHT_WINDOW';

const ALLOWED: Readonly<Record<ReservationStatus, readonly ReservationStatus[]>> = {
  READY: ['PROCESSING', 'CANCELED', 'STALE', 'SKIP'],
  PROCESSING: ['DONE', 'FAIL'],
  DONE: [],
  FAIL: [],
  CANCELED: [],
  STALE: [],
  SKIP: [],
};

export function isReservationStatus(value: unknown): value is ReservationStatus {
  return typeof value === 'string' && (RESERVATION_STATUSES as readonly string[]).includes(value);
}

function status(value: unknown, field: string): ReservationStatus {
  if (!isReservationStatus(value)) {
    throw new SchedulingError(
      'UNKNOWN_STATUS',
      field,
      `${field} must be one of ${RESERVATION_STATUSES.join(', ')}`,
      {
        actual: String(value),
      },
    );
  }
  return value;
}

/** The statuses a reservation may move to from `from` (empty for a final status). */
export function allowedTransitions(from: ReservationStatus): readonly ReservationStatus[] {
  return ALLOWED[status(from, 'from')];
}

export function canTransition(from: ReservationStatus, to: ReservationStatus): boolean {
  return allowedTransitions(from).includes(status(to, 'to'));
}

export function isFinalStatus(value: ReservationStatus): boolean {
  return allowedTransitions(value).length === 0;
}

export function isCancelable(value: ReservationStatus): boolean {
  return canTransition(value, 'CANCELED');
}

/**
 * Returns `to` when the move is allowed, else throws TRANSITION_REFUSED (or RESERVATION_NOT_CANCELABLE when `to` is
 * CANCELED, so the user is told that only READY reservations can be canceled). Both carry `from` and `to`.
 */
export function transitionReservation(from: ReservationStatus, to: ReservationStatus): ReservationStatus {
  if (canTransition(from, to)) return to;
  if (to === 'CANCELED') {
    throw new SchedulingError(
      'RESERVATION_NOT_CANCELABLE',
      'reserveStatus',
      `only a READY reservation can be canceled; this one is ${from}`,
      { from, to },
    );
  }
  throw new SchedulingError(
    'TRANSITION_REFUSED',
    'reserveStatus',
    `a ${from} reservation cannot become ${to}`,
    {
      from,
      to,
    },
  );
}

/** The user's cancel: READY → CANCELED, else RESERVATION_NOT_CANCELABLE. */
export function cancelReservation(from: ReservationStatus): 'CANCELED' {
  transitionReservation(from, 'CANCELED');
  return 'CANCELED';
}
