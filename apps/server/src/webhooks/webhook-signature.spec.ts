import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { signPayload, verifySignature } from './webhook-signature';

const SECRET = 'whsec_test_secret_0123456789';
const BODY = '{"id":"e1","type":"message.status_changed"}';
// Computed independently: printf '%s' '1772413200.<body>' | openssl dgst -sha256 -hmac "$SECRET"
const OPENSSL = 'v1=4a511a6b3a45fffd94ec96e4c8effd8c1f849e694e2345123da91d1b8f71f504';

describe('webhook signature', () => {
  it('matches HMAC-SHA256 over "<timestamp>.<body>" as openssl computes it', () => {
    expect(signPayload(SECRET, 1772413200, BODY)).toBe(OPENSSL);
  });

  const check = (overrides: Partial<Parameters<typeof verifySignature>[0]> = {}) =>
    verifySignature({
      secret: SECRET,
      timestamp: '1772413200',
      signature: OPENSSL,
      rawBody: BODY,
      nowSeconds: 1772413200,
      ...overrides,
    });

  it.each([
    ['the request as signed', {}, true],
    ['300 s later (the tolerance)', { nowSeconds: 1772413500 }, true],
    ['301 s later', { nowSeconds: 1772413501 }, false],
    ['300 s earlier (receiver clock behind)', { nowSeconds: 1772412900 }, true],
    ['301 s earlier', { nowSeconds: 1772412899 }, false],
    ['another secret', { secret: `${SECRET}x` }, false],
    ['a changed body', { rawBody: BODY.replace('e1', 'e2') }, false],
    ['re-serialised JSON (whitespace)', { rawBody: BODY.replace(':', ': ') }, false],
    ['another timestamp', { timestamp: '1772413201', nowSeconds: 1772413201 }, false],
    ['no signature', { signature: undefined }, false],
    ['no timestamp', { timestamp: undefined }, false],
    ['a non-numeric timestamp', { timestamp: '1772413200.0' }, false],
    ['a truncated signature', { signature: OPENSSL.slice(0, -1) }, false],
    ['an unknown scheme', { signature: OPENSSL.replace('v1=', 'v0=') }, false],
    ['a rotation list holding the right value', { signature: `v1=${'0'.repeat(64)}, ${OPENSSL}` }, true],
  ])('%s → %s', (_name, overrides, expected) => {
    expect(check(overrides)).toBe(expected);
  });

  it('verifies what it signs and refuses any single-character change of the body', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16, maxLength: 40 }),
        fc.string({ maxLength: 200 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat(),
        (secret, body, timestamp, position) => {
          const signature = signPayload(secret, timestamp, body);
          const input = { secret, timestamp: String(timestamp), signature, nowSeconds: timestamp };
          expect(verifySignature({ ...input, rawBody: body })).toBe(true);
          const at = body.length === 0 ? 0 : position % body.length;
          const changed = body.slice(0, at) + (body[at] === 'a' ? 'b' : 'a') + body.slice(at + 1);
          expect(verifySignature({ ...input, rawBody: changed })).toBe(false);
        },
      ),
    );
  });
});
