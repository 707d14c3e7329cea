/**
 * Every Infobank OMNI behaviour this plugin relies on that the public sources did not confirm
 * (docs/vendor-apis.md § B marks them UNCONFIRMED). Nothing else in the plugin guesses: when someone checks the
 * real API, this file is the one to change.
 */

/**
 * The token response's expiry field: `expired` in the Java and Python SDKs, `expires` in the JS SDK's type.
 * Both are read, `expired` first. When neither parses, the Python SDK's cache time (86,000 s) is assumed.
 */
export const TOKEN_EXPIRY_FIELDS = ['expired', 'expires'] as const;
export const TOKEN_FALLBACK_LIFETIME_MS = 86_000 * 1000;

/**
 * Which HTTP status comes with which result code is not documented. The plugin trusts the body's `code`
 * first (A001 / A010 / A020 / A999 are documented); a body without a known code is classified by HTTP status:
 * 401/403 authentication, 429 rate limit, 408 and 5xx transient, any other 4xx a permanent rejection.
 * An undocumented non-A000 code is classified the same way, by its HTTP status.
 */
export function kindForUnknownCode(
  httpStatus: number,
): 'AUTHENTICATION' | 'RATE_LIMITED' | 'TRANSIENT' | 'PERMANENT' {
  if (httpStatus === 401 || httpStatus === 403) return 'AUTHENTICATION';
  if (httpStatus === 429) return 'RATE_LIMITED';
  if (httpStatus === 408 || httpStatus >= 500) return 'TRANSIENT';
  if (httpStatus >= 400) return 'PERMANENT';
  // a 2xx with an unknown, non-success code: the vendor did not take the message; retrying may not help
  return 'PERMANENT';
}

/**
 * A020 carries no documented Retry-After. The plugin honours a `Retry-After` header if the vendor sends one,
 * else hints this backoff (configurable as `rateLimitBackoffMs`).
 */
export const DEFAULT_RATE_LIMIT_BACKOFF_MS = 1000;

/**
 * `reportType` meaning: the gitbook only shows "0"; seed 004 says an international message gets the relay's
 * acceptance report and then the DLR. Assumed: "0" = the ordinary report (a domestic message's final result,
 * an international message's relay acceptance), any other value on an international report = the DLR.
 */
export const RELAY_ACCEPTANCE_REPORT_TYPE = '0';

/** `reportCode` "10000" / "Success" is the gitbook's example; taken as the one success code. */
export const REPORT_SUCCESS_CODE = '10000';

/**
 * The report-code table was not reachable: no code is known to mean "expired". These are the codes the
 * simulator uses for an expired message; every other non-success code maps to FAILED.
 */
export const EXPIRED_REPORT_CODES: ReadonlySet<string> = new Set(['20002']);

/**
 * The number of parts of an international report: `resCnt` in the JS SDK's PollingResponseBody, `res` in the
 * Java SDK's ReportPollingResponse. Both are read, `resCnt` first.
 */
export const REPORT_PARTS_FIELDS = ['resCnt', 'res'] as const;

/**
 * Report times: polling/inquiry show ISO 8601 with an offset; the JS SDK's webhook type shows
 * `yyyy-MM-dd'T'HH:mm:ss.SSS` without one, taken as Korean time (+09:00).
 */
export const OFFSETLESS_TIME_ZONE_OFFSET = '+09:00';

/**
 * Webhook body: whether one POST carries one report or an array is unknown; both are accepted. The JS SDK
 * says the receiver answers `{ "msgKey": … }`; no signature or auth header is documented, so none is checked.
 */
export const WEBHOOK_BODY_MAY_BE_ARRAY = true;

/**
 * International `to` must be E.164 with '+' [IB-gitbook]. OutboundMessage gives the country calling code
 * and the national (significant) number apart; the plugin joins them as '+' + countryCode + to, assuming
 * the planner already dropped any national trunk prefix.
 */
export function internationalRecipient(countryCode: string, nationalNumber: string): string {
  return `+${countryCode}${nationalNumber}`;
}

/**
 * The MMS `title` limit: the SDK's request type says 40 bytes, a comment in its Send.ts says 20. The plugin
 * checks 40 (the SENS value, the same as Korean carriers' common LMS subject limit).
 * OMNI's MMS image limits are unknown: the SENS/carrier values (JPEG, ≤ 300 KB, ≤ 3 files) are assumed.
 */
export const MMS_TITLE_MAX_BYTES = 40;
