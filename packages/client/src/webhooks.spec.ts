import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { signPayload } from '../../../apps/server/src/webhooks/webhook-signature';
import { verifyWebhook } from './webhooks';

/** The service's own signer is the oracle: what it signs verifies, and nothing else does. */
describe('verifyWebhook against the service signer', () => {
  const secret = fc.string({ minLength: 16, maxLength: 64 });
  const body = fc.string({ maxLength: 300 });
  const timestamp = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });

  it('accepts what the service signs, from text or bytes, with headers in any case (property)', async () => {
    await fc.assert(
      fc.asyncProperty(secret, body, timestamp, async (key, raw, ts) => {
        const headers = { 'Munja-Timestamp': String(ts), 'MUNJA-SIGNATURE': signPayload(key, ts, raw) };
        expect(await verifyWebhook(raw, headers, key, { nowSeconds: ts })).toBe(true);
        expect(
          await verifyWebhook(new TextEncoder().encode(raw), new Headers(headers), key, { nowSeconds: ts }),
        ).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses another body, another secret, or a timestamp outside the window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        body,
        timestamp,
        fc.integer({ min: 301, max: 100_000 }),
        async (key, raw, ts, skew) => {
          const headers = { 'munja-timestamp': String(ts), 'munja-signature': signPayload(key, ts, raw) };
          expect(await verifyWebhook(`${raw}x`, headers, key, { nowSeconds: ts })).toBe(false);
          expect(await verifyWebhook(raw, headers, `${key}x`, { nowSeconds: ts })).toBe(false);
          expect(await verifyWebhook(raw, headers, key, { nowSeconds: ts + skew })).toBe(false);
          expect(await verifyWebhook(raw, headers, key, { nowSeconds: ts - skew })).toBe(false);
          expect(await verifyWebhook(raw, headers, key, { nowSeconds: ts + 300 })).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('accepts any of several signatures (a rotated secret) and refuses missing or malformed headers', async () => {
    const ts = 1_772_000_000;
    const signature = `v1=${'0'.repeat(64)}, ${signPayload('new-secret-0123456789', ts, '{}')}`;
    const now = { nowSeconds: ts };
    expect(
      await verifyWebhook(
        '{}',
        { 'munja-timestamp': String(ts), 'munja-signature': signature },
        'new-secret-0123456789',
        now,
      ),
    ).toBe(true);
    expect(await verifyWebhook('{}', { 'munja-signature': signature }, 'new-secret-0123456789', now)).toBe(
      false,
    );
    expect(
      await verifyWebhook(
        '{}',
        { 'munja-timestamp': `${ts}.5`, 'munja-signature': signature },
        'new-secret-0123456789',
        now,
      ),
    ).toBe(false);
  });
});
