import { describe, expect, it } from '@jest/globals';
import { errorForNetwork, errorForStatus, type SensResponse } from './http';

const response = (
  status: number,
  headers: SensResponse['headers'] = {},
  body: unknown = undefined,
): SensResponse => ({
  status,
  headers,
  body,
});
const NOW = Date.UTC(2026, 0, 1);

describe('HTTP status → provider error', () => {
  it.each([
    [400, 'PERMANENT', false],
    [401, 'AUTHENTICATION', false],
    [403, 'AUTHENTICATION', false],
    [404, 'PERMANENT', false],
    [408, 'TRANSIENT', true],
    [429, 'RATE_LIMITED', true],
    [500, 'TRANSIENT', true],
    [502, 'TRANSIENT', true],
    [503, 'TRANSIENT', true],
    [504, 'TRANSIENT', true],
  ])('%i → %s (retryable %s)', (status, kind, retryable) => {
    const error = errorForStatus(response(status), 'send', NOW);
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
    expect(error.vendorCode).toBe(String(status));
  });

  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': new Date(NOW + 3000).toUTCString() }, 3000],
    [{ 'retry-after': 'soon' }, 1000],
    [{}, 1000],
  ])('429 with %j → retryAfterMs %i', (headers, ms) => {
    expect(errorForStatus(response(429, headers), 'send', NOW).retryAfterMs).toBe(ms);
  });

  it('carries the vendor error code and text in the message', () => {
    const error = errorForStatus(
      response(
        401,
        {},
        { error: { errorCode: '200', message: 'Authentication Failed', details: 'Invalid key' } },
      ),
      'send',
      NOW,
    );
    expect(error.message).toBe('SENS send: HTTP 401 (200) Authentication Failed: Invalid key');
  });

  it('network errors and timeouts are TRANSIENT with their code', () => {
    const error = errorForNetwork(
      Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      'send',
    );
    expect(error).toMatchObject({ kind: 'TRANSIENT', vendorCode: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(errorForNetwork(new Error('boom'), 'send').vendorCode).toBe('NETWORK');
  });
});
