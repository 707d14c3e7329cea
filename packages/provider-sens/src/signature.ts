import { createHmac } from 'node:crypto';

/**
 * Ncloud API Gateway signature v2. The string to sign is `METHOD PATH?QUERY\nTIMESTAMP\nACCESS_KEY` (one space,
 * LF separators, no trailing newline, the body not included); the signature is Base64(HMAC-SHA256(secretKey)).
 */
export function stringToSign(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  accessKey: string,
): string {
  return `${method.toUpperCase()} ${pathWithQuery}\n${timestamp}\n${accessKey}`;
}

export function signV2(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  accessKey: string,
  secretKey: string,
): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(stringToSign(method, pathWithQuery, timestamp, accessKey), 'utf8')
    .digest('base64');
}

/** The three authentication headers of one request, signed at `nowMs`. */
export function authHeaders(
  method: string,
  pathWithQuery: string,
  nowMs: number,
  credentials: { accessKey: string; secretKey: string },
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs));
  return {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': credentials.accessKey,
    'x-ncp-apigw-signature-v2': signV2(
      method,
      pathWithQuery,
      timestamp,
      credentials.accessKey,
      credentials.secretKey,
    ),
  };
}
