/**
 * Every SENS behaviour this plugin relies on that the vendor reference (docs/vendor-apis.md) marks UNCONFIRMED or
 * does not state. Kept in one place so that confirming (or correcting) a fact is a one-file change.
 */

/**
 * Error bodies: the reference says failures carry an `error` object, field names unconfirmed. We read
 * `error.errorCode` / `error.message` / `error.details` (the Ncloud API Gateway shape) when present, and fall
 * back to the HTTP status alone, so a different shape degrades to a less detailed message, never a crash.
 */
export function readVendorError(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  const text = [e.message, e.details].filter((v): v is string => typeof v === 'string' && v !== '');
  return {
    ...(typeof e.errorCode === 'string' ? { code: e.errorCode } : {}),
    ...(text.length > 0 ? { message: text.join(': ') } : {}),
  };
}

/** Retry hint for a 429 without a usable `Retry-After` header (whether SENS sends one is unknown). */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 1000;

/**
 * The time zone of `requestTime` / `completeTime` (`yyyy-MM-dd HH:mm:ss`, no offset): presumed KST (+09:00).
 */
export const VENDOR_TIME_OFFSET = '+09:00';

/**
 * The list lookup by requestId returns one `messages[]` entry per recipient with `messageId` and `to`; the
 * plugin matches them to our refs by `to` (the listing's order is not documented). A vendor call therefore
 * never carries the same recipient twice.
 */
export const MATCH_LIST_BY_RECIPIENT = true;

/**
 * A message's `status` while it is with the carrier is PROCESSING: reported as canonical SENT. A COMPLETED
 * message with `statusName` other than `success` is FAILED: SENS has no separate "expired" result that we know
 * of (its failure-code table was not reached), so nothing maps to EXPIRED.
 */
export const PROCESSING_IS_SENT = true;

/**
 * health(): a signed GET of the opt-out list (`GET …/unsubscribes`, listed as an operation; its query
 * parameters are unconfirmed, so we send none). 200 = healthy; 401/403 = credentials refused.
 */
export const HEALTH_PATH = 'unsubscribes';

/** Most files per MMS (SENS's own number is unconfirmed; the carriers' common rule is 3). */
export const MAX_FILES_PER_MMS = 3;
