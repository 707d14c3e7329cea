import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Ncloud API Gateway signature v2, computed by the fake on its own (it must not share code with the plugin,
 * or a shared mistake would pass): Base64(HMAC-SHA256(secretKey, "METHOD PATH?QUERY\nTIMESTAMP\nACCESSKEY")).
 */
export function signatureV2(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  accessKey: string,
  secretKey: string,
): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(`${method.toUpperCase()} ${pathWithQuery}\n${timestamp}\n${accessKey}`, 'utf8')
    .digest('base64');
}

export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The gateway refuses a timestamp 5 minutes or more away from its clock. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;
