import { registerCallingNumber, transitionCallingNumber, type CallingNumber } from './calling-number';
import { applyOptOutService, completeOptOutService, type OptOutService } from './opt-out-service';
import type { ReviewContext } from './review';

const t0 = new Date('2026-01-01T00:00:00Z');

export function callingNumber(
  number: string,
  to: 'READY' | 'IN-PROGRESS' | 'APPROVED' | 'REJECTED',
): CallingNumber {
  let n = registerCallingNumber({ number, method: 'DOCUMENT' }, [], t0);
  if (to === 'READY') return n;
  n = transitionCallingNumber(n, { type: 'START' }, t0);
  if (to === 'IN-PROGRESS') return n;
  return transitionCallingNumber(n, { type: to === 'APPROVED' ? 'APPROVE' : 'REJECT' }, t0);
}

export const FROM = '02-1234-5678';
export const NUMBER_080 = '080-1234-5678';

export function completeService(companyName = '문자상사'): OptOutService {
  return completeOptOutService(applyOptOutService({ companyName }, t0), NUMBER_080, t0);
}

/** 12:00 Seoul on a weekday, by day. */
export const NOON_SEOUL = new Date('2026-03-10T03:00:00Z');

export function context(overrides: Partial<ReviewContext> = {}): ReviewContext {
  return {
    now: NOON_SEOUL,
    callingNumbers: [callingNumber(FROM, 'APPROVED')],
    optOutService: completeService(),
    blockList: new Set<string>(),
    ...overrides,
  };
}
