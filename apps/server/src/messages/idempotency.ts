import { createHash } from 'node:crypto';
import { ApiError } from '../common/api-error';

/**
 * The conflict clause of an insert into send_requests: the Idempotency-Key index holds keyed requests only
 * (partial, migration 1766000000020), and PostgreSQL infers it as the arbiter only from its predicate.
 */
export const ON_IDEMPOTENCY_KEY_CONFLICT =
  'ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING';

/** Longest Idempotency-Key accepted (Stripe's limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The Idempotency-Key header, checked: printable ASCII, 1–255 characters; absent → undefined. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (
    value === undefined ||
    value.length === 0 ||
    value.length > MAX_IDEMPOTENCY_KEY_LENGTH ||
    !/^[\x21-\x7e]+$/.test(value)
  ) {
    throw ApiError.badRequest(
      'INVALID_IDEMPOTENCY_KEY',
      `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces`,
      'Idempotency-Key',
    );
  }
  return value;
}

/** JSON with object keys sorted, so that the same body written in another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a key is bound to: the body as sent (key order aside). */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

export function idempotencyKeyReused(): ApiError {
  return ApiError.conflict(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request body',
    'Idempotency-Key',
  );
}
