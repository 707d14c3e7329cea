import { describe, it, expect } from '@jest/globals';
import {
  allowedTransitions,
  canTransition,
  cancelReservation,
  isCancelable,
  isFinalStatus,
  RESERVATION_STATUSES,
  ReservationStatus,
  transitionReservation,
} from './reservation-status';

const ALLOWED: ReadonlySet<string> = new Set([
  'READY>PROCESSING',
  'READY>CANCELED',
  'READY>STALE',
  'READY>SKIP',
  'PROCESSING>DONE',
  'PROCESSING>FAIL',
]);
const everyPair = RESERVATION_STATUSES.flatMap((from) =>
  RESERVATION_STATUSES.map((to) => [from, to] as const),
);

describe('reservation status machine', () => {
  it('knows the seven SENS statuses', () => {
    expect([...RESERVATION_STATUSES].sort()).toEqual(
      ['CANCELED', 'DONE', 'FAIL', 'PROCESSING', 'READY', 'SKIP', 'STALE'].sort(),
    );
  });

  it.each(everyPair.filter(([from, to]) => ALLOWED.has(`${from}>${to}`)))(
    '%s → %s is allowed',
    (from, to) => {
      expect(canTransition(from, to)).toBe(true);
      expect(transitionReservation(from, to)).toBe(to);
    },
  );

  it.each(everyPair.filter(([from, to]) => !ALLOWED.has(`${from}>${to}`)))(
    '%s → %s is refused',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
      expect(() => transitionReservation(from, to)).toThrow(
        expect.objectContaining({
          code: to === 'CANCELED' ? 'RESERVATION_NOT_CANCELABLE' : 'TRANSITION_REFUSED',
          field: 'reserveStatus',
          details: { from, to },
        }),
      );
    },
  );

  it('only READY is cancelable', () => {
    expect(RESERVATION_STATUSES.filter(isCancelable)).toEqual(['READY']);
    expect(cancelReservation('READY')).toBe('CANCELED');
    expect(() => cancelReservation('PROCESSING')).toThrow(
      expect.objectContaining({ code: 'RESERVATION_NOT_CANCELABLE' }),
    );
  });

  it('DONE, FAIL, CANCELED, STALE and SKIP are final', () => {
    expect(RESERVATION_STATUSES.filter(isFinalStatus).sort()).toEqual([
      'CANCELED',
      'DONE',
      'FAIL',
      'SKIP',
      'STALE',
    ]);
    expect(allowedTransitions('PROCESSING')).toEqual(['DONE', 'FAIL']);
  });

  it.each([
    ['WAITING', 'READY', 'from'],
    ['READY', 'SENT', 'to'],
    ['ready', 'PROCESSING', 'from'],
  ])('unknown status %s → %s is refused on %s', (from, to, field) => {
    expect(() => transitionReservation(from as ReservationStatus, to as ReservationStatus)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_STATUS', field }),
    );
  });
});
