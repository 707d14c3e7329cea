import { describe, it, expect } from '@jest/globals';
import { codeOf } from './codes.test-helpers';
import {
  applyOptOutService,
  cancelOptOutService,
  completeOptOutService,
  format080Number,
  isOptOutServiceActive,
  normalize080Number,
  OPT_OUT_TRANSITIONS,
  stopOptOutService,
  type OptOutService,
  type OptOutServiceStatus,
} from './opt-out-service';

const t0 = new Date('2026-11-01T00:00:00Z');
const t1 = new Date('2026-11-02T00:00:00Z');
const t2 = new Date('2026-11-03T00:00:00Z');

const processing = (): OptOutService => applyOptOutService({ companyName: '문자상사' }, t0);
const complete = (): OptOutService => completeOptOutService(processing(), '080-1234-5678', t1);
const stopped = (): OptOutService => stopOptOutService(complete(), t2).service;
const canceled = (): OptOutService => cancelOptOutService(processing(), t1);
const inState: Record<OptOutServiceStatus, () => OptOutService> = {
  PROCESSING: processing,
  COMPLETE: complete,
  STOPPED: stopped,
  CANCELED: canceled,
};

describe('080 opt-out service: applying', () => {
  it('starts PROCESSING, generation 1, nothing issued', () => {
    expect(processing()).toEqual({
      status: 'PROCESSING',
      companyName: '문자상사',
      number080: null,
      generation: 1,
      appliedAt: '2026-11-01T00:00:00.000Z',
      completedAt: null,
      stoppedAt: null,
      canceledAt: null,
    });
  });

  it.each([
    ['가'.repeat(20), 'ok'],
    ['가'.repeat(21), 'COMPANY_NAME_TOO_LONG@companyName'],
    ['A'.repeat(20), 'ok'],
    ['A'.repeat(21), 'COMPANY_NAME_TOO_LONG@companyName'],
    ['  ' + 'A'.repeat(20) + '  ', 'ok'],
    ['', 'COMPANY_NAME_EMPTY@companyName'],
    ['   ', 'COMPANY_NAME_EMPTY@companyName'],
  ])('company name %j → %s', (companyName, expected) => {
    if (expected === 'ok')
      expect(applyOptOutService({ companyName }, t0).companyName).toBe(companyName.trim());
    else expect(codeOf(() => applyOptOutService({ companyName }, t0))).toBe(expected);
  });

  it('counts characters, not UTF-16 units (an astral character is one)', () => {
    expect(applyOptOutService({ companyName: '𠀀'.repeat(20) }, t0).status).toBe('PROCESSING');
  });

  it.each<[OptOutServiceStatus, string]>([
    ['PROCESSING', 'OPT_OUT_SERVICE_ALREADY_ACTIVE@status'],
    ['COMPLETE', 'OPT_OUT_SERVICE_ALREADY_ACTIVE@status'],
  ])('a new application while %s is refused', (status, expected) => {
    expect(codeOf(() => applyOptOutService({ companyName: 'B' }, t2, inState[status]()))).toBe(expected);
  });

  it.each<OptOutServiceStatus>(['STOPPED', 'CANCELED'])(
    'after %s a new application starts a new, empty generation',
    (status) => {
      const again = applyOptOutService({ companyName: 'B' }, t2, inState[status]());
      expect(again.status).toBe('PROCESSING');
      expect(again.generation).toBe(2);
      expect(again.number080).toBeNull();
    },
  );

  it('refuses an invalid now', () => {
    expect(codeOf(() => applyOptOutService({ companyName: 'A' }, new Date('x')))).toBe(
      'INVALID_SEND_TIME@now',
    );
  });
});

describe('080 opt-out service: transitions', () => {
  it('PROCESSING → COMPLETE issues the 080 number (digits only) and starts charging', () => {
    const s = complete();
    expect(s.status).toBe('COMPLETE');
    expect(s.number080).toBe('08012345678');
    expect(s.completedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(isOptOutServiceActive(s)).toBe(true);
  });

  it('PROCESSING → CANCELED, never charged', () => {
    const s = canceled();
    expect(s.status).toBe('CANCELED');
    expect(s.completedAt).toBeNull();
    expect(s.canceledAt).toBe('2026-11-02T00:00:00.000Z');
    expect(isOptOutServiceActive(s)).toBe(false);
  });

  it('COMPLETE → STOPPED erases the block list and is terminal', () => {
    const { service, blockListErased } = stopOptOutService(complete(), t2);
    expect(service.status).toBe('STOPPED');
    expect(service.stoppedAt).toBe('2026-11-03T00:00:00.000Z');
    expect(blockListErased).toBe(true);
    expect(isOptOutServiceActive(service)).toBe(false);
  });

  // Every (state, action) pair: allowed exactly where OPT_OUT_TRANSITIONS says so.
  const actions: Record<string, { to: OptOutServiceStatus; run: (s: OptOutService) => OptOutService }> = {
    complete: { to: 'COMPLETE', run: (s) => completeOptOutService(s, '0801234567', t2) },
    cancel: { to: 'CANCELED', run: (s) => cancelOptOutService(s, t2) },
    stop: { to: 'STOPPED', run: (s) => stopOptOutService(s, t2).service },
  };
  const cases = (Object.keys(inState) as OptOutServiceStatus[]).flatMap((from) =>
    Object.entries(actions).map(([name, action]) => [from, name, action] as const),
  );
  it.each(cases)('%s + %s', (from, _name, action) => {
    const allowed = OPT_OUT_TRANSITIONS[from].includes(action.to);
    if (allowed) expect(action.run(inState[from]()).status).toBe(action.to);
    else expect(codeOf(() => action.run(inState[from]()))).toBe('OPT_OUT_SERVICE_TRANSITION_REFUSED@status');
  });

  it('the table allows exactly complete/cancel from PROCESSING and stop from COMPLETE', () => {
    expect(OPT_OUT_TRANSITIONS).toEqual({
      PROCESSING: ['COMPLETE', 'CANCELED'],
      COMPLETE: ['STOPPED'],
      STOPPED: [],
      CANCELED: [],
    });
  });

  it('does not mutate its input', () => {
    const s = processing();
    const copy = { ...s };
    completeOptOutService(s, '0801234567', t1);
    expect(s).toEqual(copy);
  });
});

describe('080 numbers', () => {
  it.each([
    ['080-123-4567', '0801234567', '080-123-4567'],
    ['080 1234 5678', '08012345678', '080-1234-5678'],
    ['08012345678', '08012345678', '080-1234-5678'],
  ])('%s → %s → %s', (input, digits, formatted) => {
    expect(normalize080Number(input)).toBe(digits);
    expect(format080Number(input)).toBe(formatted);
  });

  it.each(['070-1234-5678', '080-123-456', '080-1234-56789', '080-abc-defg', ''])(
    '%j is refused',
    (input) => {
      expect(codeOf(() => normalize080Number(input))).toBe('INVALID_080_NUMBER@number080');
      expect(codeOf(() => completeOptOutService(processing(), input, t1))).toBe(
        'INVALID_080_NUMBER@number080',
      );
    },
  );
});
