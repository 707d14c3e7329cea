/**
 * Checks a webhook request from the service, exactly as it signs: `Munja-Signature: v1=<hex HMAC-SHA256(secret,
 * "<Munja-Timestamp>.<raw body>")>` and `Munja-Timestamp` (Unix seconds) within the tolerance of this clock.
 * Several comma-separated `v1=` values are accepted (a secret being rotated). Web Crypto only, so it runs in
 * Node ≥ 20, browsers, workers and edge runtimes alike.
 */

export const TIMESTAMP_HEADER = 'munja-timestamp';
export const SIGNATURE_HEADER = 'munja-signature';
export const EVENT_ID_HEADER = 'munja-event-id';
/** The service's replay window, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type HeaderSource = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifyOptions {
  /** how far the timestamp may be from now (default 300 s) */
  toleranceSeconds?: number;
  /** now, in Unix seconds (default the system clock) */
  nowSeconds?: number;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available in this runtime');
  const key = await subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const digest = new Uint8Array(await subtle.sign('HMAC', key, message as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Equal strings, in time that does not depend on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * true when the request is signed with `secret` and its timestamp is within the window. Pass the body exactly as
 * received (bytes or text), before any JSON parsing.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array | ArrayBuffer,
  headers: HeaderSource,
  secret: string,
  options: VerifyOptions = {},
): Promise<boolean> {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return false;
  const body =
    typeof rawBody === 'string'
      ? encoder.encode(rawBody)
      : rawBody instanceof Uint8Array
        ? rawBody
        : new Uint8Array(rawBody);
  const prefix = encoder.encode(`${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  const expected = `v1=${await hmacHex(secret, signed)}`;
  return signature
    .split(',')
    .map((part) => part.trim())
    .some((candidate) => constantTimeEqual(candidate, expected));
}
