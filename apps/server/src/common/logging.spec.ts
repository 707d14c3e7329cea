import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/v1/opt-out/ars/ars_0123456789abcdefghijABCDEFGH/calls', '/v1/opt-out/ars/[redacted]/calls'],
    [
      '/v1/calling-numbers/9b2f8f0e-1111-4222-8333-444455556666',
      '/v1/calling-numbers/9b2f8f0e-1111-4222-8333-444455556666',
    ],
    ['/v1/files?token=secret', '/v1/files'],
    ['/v1/webhooks/sens/abcdefghijklmnopqrstuvwx', '/v1/webhooks/sens/[redacted]'],
    ['/v1/webhooks/sens/abcdefghijklmnopqrstuvw', '/v1/webhooks/sens/abcdefghijklmnopqrstuvw'],
    ['/health/ready', '/health/ready'],
    // a report secret of any characters, once it has the length MUNJA_REPORT_SECRET must have
    ['/v1/reports/sens/pa%2Bss!word*with(24)chars', '/v1/reports/sens/[redacted]'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
