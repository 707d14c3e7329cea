import { describe, it, expect } from '@jest/globals';
import { codeOf } from './codes.test-helpers';
import { assertBlockListEditable, normalizeBlockedNumber } from './block-list';
import {
  applyOptOutService,
  cancelOptOutService,
  completeOptOutService,
  stopOptOutService,
} from './opt-out-service';

const t0 = new Date('2026-11-01T00:00:00Z');

describe('block list', () => {
  it.each([
    ['010-1234-5678', '01012345678'],
    ['010 1234 5678', '01012345678'],
    ['01012345678', '01012345678'],
    ['02-123-4567', '021234567'],
  ])('%s is stored as %s', (input, digits) => {
    expect(normalizeBlockedNumber(input)).toBe(digits);
  });

  it.each(['+82 10 1234 5678', '010-1234-567a', 'abc', '', '12'])('%j is refused', (input) => {
    expect(codeOf(() => normalizeBlockedNumber(input))).toBe('INVALID_BLOCKED_NUMBER@number');
  });

  it('is editable only while the service is COMPLETE', () => {
    const processing = applyOptOutService({ companyName: 'A' }, t0);
    const complete = completeOptOutService(processing, '0801234567', t0);
    expect(() => assertBlockListEditable(complete)).not.toThrow();
    for (const s of [
      null,
      processing,
      cancelOptOutService(processing, t0),
      stopOptOutService(complete, t0).service,
    ]) {
      expect(codeOf(() => assertBlockListEditable(s))).toBe('BLOCK_LIST_NOT_EDITABLE@status');
    }
  });
});
