import { describe, expect, it } from '@jest/globals';
import { AuthenticationError, PermanentError, RateLimitedError, TransientError } from './provider-error';
import { rejectedByCall } from './send-outcome';

describe('rejectedByCall', () => {
  it('keeps a message whose call failed for reasons of its own retryable, with the vendor code and hint', () => {
    expect(rejectedByCall('m1', new RateLimitedError('429', 'slow down', 1500))).toEqual({
      ref: 'm1',
      accepted: false,
      code: '429',
      message: 'slow down',
      retryable: true,
      retryAfterMs: 1500,
    });
    expect(rejectedByCall('m2', new TransientError('503', 'down'))).toMatchObject({ retryable: true });
    expect(rejectedByCall('m3', new AuthenticationError('401', 'bad key'))).toMatchObject({
      retryable: true,
    });
  });

  it('refuses for good a message the vendor called bad, with no retry-after field', () => {
    const outcome = rejectedByCall('m4', new PermanentError('400', 'bad number'));
    expect(outcome).toEqual({
      ref: 'm4',
      accepted: false,
      code: '400',
      message: 'bad number',
      retryable: false,
    });
    expect('retryAfterMs' in outcome).toBe(false);
  });
});
