import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of every outbound webhook request. */
export const EVENT_ID_HEADER = 'Munja-Event-Id';
export const TIMESTAMP_HEADER = 'Munja-Timestamp';
export const SIGNATURE_HEADER = 'Munja-Signature';

/** How far a receiver should accept a timestamp from its own clock (replay window). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` — the value of Munja-Signature. */
export function signPayload(secret: string, timestampSeconds: number, rawBody: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `v1=${digest}`;
}

/**
 * The receiver's check, exactly as documented in the README: recompute the HMAC over the raw body, compare
 * in constant time, and refuse timestamps outside the tolerance. Several `v1=` values (comma-separated) are
 * accepted so a secret can be rotated without a gap.
 */
export function verifySignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, timestamp, signature, rawBody, nowSeconds } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(signPayload(secret, Number(timestamp), rawBody));
  return signature
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}
