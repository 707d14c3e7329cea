import { describe, it, expect } from '@jest/globals';
import { codeOf } from './codes.test-helpers';
import {
  assertApprovedSender,
  CALLING_NUMBER_TRANSITIONS,
  registerCallingNumber,
  transitionCallingNumber,
  type CallingNumber,
  type CallingNumberEvent,
  type CallingNumberStatus,
} from './calling-number';

const t0 = new Date('2026-11-01T00:00:00Z');
const t1 = new Date('2026-11-02T00:00:00Z');

const ready = (number = '02-1234-5678'): CallingNumber =>
  registerCallingNumber({ number, method: 'DOCUMENT' }, [], t0);
const inProgress = (): CallingNumber => transitionCallingNumber(ready(), { type: 'START' }, t1);
const approved = (): CallingNumber => transitionCallingNumber(inProgress(), { type: 'APPROVE' }, t1);
const rejected = (): CallingNumber =>
  transitionCallingNumber(inProgress(), { type: 'REJECT', reason: 'no proof' }, t1);
const inState: Record<CallingNumberStatus, () => CallingNumber> = {
  READY: ready,
  'IN-PROGRESS': inProgress,
  APPROVED: approved,
  REJECTED: rejected,
};

describe('calling number registration', () => {
  it('starts READY with the number normalized to digits', () => {
    expect(ready()).toEqual({
      number: '0212345678',
      method: 'DOCUMENT',
      status: 'READY',
      requestedAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      rejectReason: null,
    });
  });

  it.each(['SMS', 'DOCUMENT'] as const)('accepts method %s', (method) => {
    expect(registerCallingNumber({ number: '010-1234-5678', method }, [], t0).method).toBe(method);
  });

  it('refuses another method', () => {
    expect(
      codeOf(() => registerCallingNumber({ number: '01012345678', method: 'EMAIL' as never }, [], t0)),
    ).toBe('INVALID_VERIFICATION_METHOD@method');
  });

  it('refuses a number that is not a phone number', () => {
    expect(codeOf(() => registerCallingNumber({ number: 'hello', method: 'SMS' }, [], t0))).toBe(
      'INVALID_CALLING_NUMBER@number',
    );
  });

  it('refuses a duplicate, in any spelling, unless the earlier one was REJECTED', () => {
    const existing = [ready('02-1234-5678')];
    expect(codeOf(() => registerCallingNumber({ number: '0212345678', method: 'SMS' }, existing, t0))).toBe(
      'CALLING_NUMBER_DUPLICATE@number',
    );
    const again = registerCallingNumber({ number: '0212345678', method: 'SMS' }, [rejected()], t1);
    expect(again.status).toBe('READY');
  });

  const numbers = (n: number): CallingNumber[] =>
    Array.from({ length: n }, (_, i) => ready(`010-1234-${String(5600 + i)}`));

  it.each([
    [9, undefined, 'ok'],
    [10, undefined, 'CALLING_NUMBER_LIMIT_REACHED@number'],
    [10, 11, 'ok'],
    [11, 11, 'CALLING_NUMBER_LIMIT_REACHED@number'],
    [2, 2, 'CALLING_NUMBER_LIMIT_REACHED@number'],
  ])('with %i held and max %s → %s', (held, max, expected) => {
    const run = () =>
      registerCallingNumber({ number: '02-9999-0000', method: 'SMS' }, numbers(held), t1, {
        maxPerProject: max,
      });
    if (expected === 'ok') expect(run().status).toBe('READY');
    else expect(codeOf(run)).toBe(expected);
  });

  it('REJECTED numbers do not count against the limit', () => {
    const held = [...numbers(9), rejected()];
    expect(registerCallingNumber({ number: '02-9999-0000', method: 'SMS' }, held, t1).status).toBe('READY');
  });
});

describe('calling number transitions', () => {
  const events: CallingNumberEvent[] = [
    { type: 'START' },
    { type: 'APPROVE' },
    { type: 'REJECT', reason: 'x' },
  ];
  const expected: Record<CallingNumberStatus, Record<string, CallingNumberStatus | 'refused'>> = {
    READY: { START: 'IN-PROGRESS', APPROVE: 'refused', REJECT: 'refused' },
    'IN-PROGRESS': { START: 'refused', APPROVE: 'APPROVED', REJECT: 'REJECTED' },
    APPROVED: { START: 'refused', APPROVE: 'refused', REJECT: 'refused' },
    REJECTED: { START: 'refused', APPROVE: 'refused', REJECT: 'refused' },
  };
  const cases = (Object.keys(inState) as CallingNumberStatus[]).flatMap((from) =>
    events.map((event) => [from, event.type, event, expected[from][event.type]] as const),
  );

  it.each(cases)('%s + %s → %s', (from, _type, event, to) => {
    const run = () => transitionCallingNumber(inState[from](), event, t1);
    if (to === 'refused') expect(codeOf(run)).toBe('CALLING_NUMBER_TRANSITION_REFUSED@status');
    else {
      const next = run();
      expect(next.status).toBe(to);
      expect(next.updatedAt).toBe('2026-11-02T00:00:00.000Z');
      expect(CALLING_NUMBER_TRANSITIONS[from][event.type]).toBe(to);
    }
  });

  it('keeps the rejection reason', () => {
    expect(rejected().rejectReason).toBe('no proof');
    expect(transitionCallingNumber(inProgress(), { type: 'REJECT' }, t1).rejectReason).toBeNull();
  });
});

describe('only an APPROVED number may send', () => {
  it.each<[CallingNumberStatus, string]>([
    ['READY', 'CALLING_NUMBER_NOT_APPROVED@from'],
    ['IN-PROGRESS', 'CALLING_NUMBER_NOT_APPROVED@from'],
    ['REJECTED', 'CALLING_NUMBER_NOT_APPROVED@from'],
  ])('%s → %s', (status, code) => {
    expect(codeOf(() => assertApprovedSender('02-1234-5678', [inState[status]()]))).toBe(code);
  });

  it('APPROVED → the normalized number', () => {
    expect(assertApprovedSender('02 1234 5678', [approved()])).toBe('0212345678');
  });

  it('an APPROVED row wins over an older REJECTED row of the same number', () => {
    expect(assertApprovedSender('0212345678', [rejected(), approved()])).toBe('0212345678');
  });

  it('an unknown number is NOT_REGISTERED; a malformed one is INVALID', () => {
    expect(codeOf(() => assertApprovedSender('02-9999-9999', [approved()]))).toBe(
      'CALLING_NUMBER_NOT_REGISTERED@from',
    );
    expect(codeOf(() => assertApprovedSender('abc', [approved()]))).toBe('INVALID_CALLING_NUMBER@from');
  });
});
