import { describe, expect, it } from '@jest/globals';
import type { CallingNumber } from './calling-number';
import type { OptOutService } from './opt-out-service';
import { reviewRelease, type ReleaseContext, type ReleasedMessage } from './release-review';
import { reviewRequest } from './review';

const at = '2026-03-02T01:00:00.000Z';
const number = (status: CallingNumber['status']): CallingNumber => ({
  number: '0212345678',
  method: 'DOCUMENT',
  status,
  requestedAt: at,
  updatedAt: at,
  rejectReason: null,
});
const service = (status: OptOutService['status']): OptOutService =>
  ({
    status,
    companyName: '문자상사',
    number080: status === 'COMPLETE' ? '0801234567' : null,
  }) as OptOutService;

const context = (over: Partial<ReleaseContext> = {}): ReleaseContext => ({
  callingNumbers: [number('APPROVED')],
  optOutService: service('COMPLETE'),
  blockList: new Set<string>(),
  ...over,
});
const ad: ReleasedMessage = { from: '02-1234-5678', contentType: 'AD', countryCode: '82', to: '01012345678' };
const comm: ReleasedMessage = { ...ad, contentType: 'COMM' };

describe('reviewRelease', () => {
  it('lets a message go when nothing changed', () => {
    expect(reviewRelease(ad, context())).toBeNull();
    expect(reviewRelease(comm, context({ optOutService: null }))).toBeNull();
  });

  it('refuses a calling number no longer APPROVED, or gone, with the review codes', () => {
    expect(reviewRelease(comm, context({ callingNumbers: [number('REJECTED')] }))?.code).toBe(
      'CALLING_NUMBER_NOT_APPROVED',
    );
    expect(reviewRelease(comm, context({ callingNumbers: [] }))?.code).toBe('CALLING_NUMBER_NOT_REGISTERED');
  });

  it('refuses an AD once the 080 service is no longer COMPLETE, but not a COMM message', () => {
    for (const status of ['STOPPED', 'CANCELED', 'PROCESSING'] as const) {
      expect(reviewRelease(ad, context({ optOutService: service(status) }))?.code).toBe(
        'AD_OPT_OUT_SERVICE_REQUIRED',
      );
      expect(reviewRelease(comm, context({ optOutService: service(status) }))).toBeNull();
    }
  });

  it('blocks an AD recipient who joined the 080 list, never a COMM one', () => {
    const blockList = new Set(['01012345678']);
    expect(reviewRelease(ad, context({ blockList }))?.code).toBe('BLOCKED');
    expect(reviewRelease(comm, context({ blockList }))).toBeNull();
  });

  it('agrees with the review of a new request on the same state', () => {
    const cases: ReleaseContext[] = [
      context(),
      context({ callingNumbers: [number('REJECTED')] }),
      context({ optOutService: service('STOPPED') }),
      context({ blockList: new Set(['01012345678']) }),
    ];
    for (const c of cases) {
      const review = reviewRequest(
        { contentType: 'AD', from: ad.from, content: '봄 세일', messages: [{ to: ad.to }] },
        { now: new Date('2026-03-02T03:00:00Z'), ...c },
      );
      const reviewCode = review.ok
        ? review.recipients[0]?.outcome === 'REJECTED'
          ? review.recipients[0].code
          : null
        : review.errors[0]?.code;
      expect(reviewRelease(ad, c)?.code ?? null).toBe(reviewCode);
    }
  });
});
