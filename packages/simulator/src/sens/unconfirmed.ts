/**
 * Every behaviour of the faked SENS that the vendor reference (docs/vendor-apis.md) marks UNCONFIRMED, or does
 * not state at all, lives here, so that one look shows what the fake invents. Change a fact here once
 * someone confirms the real one.
 */

/**
 * Error body shape. The reference only says failures carry an `error` object (field names UNCONFIRMED). We
 * use the shape of Ncloud's API Gateway errors: `{ error: { errorCode, message, details } }`, with its
 * gateway codes (200 auth failed, 210 permission denied, 300 not found, 420 rate limited, 500/900 errors).
 */
export interface SensErrorBody {
  error: { errorCode: string; message: string; details: string };
}

export const GATEWAY_ERROR = {
  401: { errorCode: '200', message: 'Authentication Failed' },
  403: { errorCode: '210', message: 'Permission Denied' },
  404: { errorCode: '300', message: 'Not Found Exception' },
  429: { errorCode: '420', message: 'Rate Limited' },
  500: { errorCode: '900', message: 'Unexpected Error' },
  503: { errorCode: '500', message: 'Endpoint Error' },
  // a 400 from SENS itself: the gateway shape with the HTTP status as its code (UNCONFIRMED)
  400: { errorCode: '400', message: 'Bad Request' },
} as const satisfies Record<number, { errorCode: string; message: string }>;

/** 429 carries a `Retry-After` header in seconds (UNCONFIRMED: the reference says nothing of it). */
export const SEND_RETRY_AFTER_HEADER = true;

/** An unregistered `from` is answered 400 (UNCONFIRMED: the status is not documented). */
export const UNREGISTERED_FROM_STATUS = 400;

/** Most files per MMS (UNCONFIRMED for SENS; the carriers' common rule is 3). */
export const MAX_FILES_PER_MMS = 3;

/** Countries the fake accepts in `countryCode` (UNCONFIRMED: SENS's own list was not reached). */
export const SUPPORTED_COUNTRY_CODES: ReadonlySet<string> = new Set([
  '82',
  '1',
  '7',
  '20',
  '27',
  '30',
  '31',
  '33',
  '34',
  '36',
  '39',
  '44',
  '49',
  '52',
  '55',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '81',
  '84',
  '86',
  '90',
  '91',
  '852',
  '853',
  '855',
  '856',
  '886',
  '971',
]);

/** A reservation must be in the future (UNCONFIRMED: the minimum lead time and the horizon are unknown). */
export const RESERVATION_MIN_LEAD_MS = 0;

/** Final per-message result codes (`statusCode`; only "0" = success is documented). */
export const RESULT_SUCCESS = { statusCode: '0', statusName: 'success', statusMessage: '성공' } as const;
export const RESULT_FAILED = {
  statusCode: '3018',
  statusName: 'fail',
  statusMessage: '전송 실패(단말기 수신 불가)',
} as const;
/** What the fake reports when the carrier timed out (SENS has no separate "expired" status). */
export const RESULT_EXPIRED = {
  statusCode: '3006',
  statusName: 'fail',
  statusMessage: '전송 시간 초과',
} as const;
/** An AD message to a number on the 080 opt-out list is not sent. */
export const RESULT_UNSUBSCRIBED = {
  statusCode: '3023',
  statusName: 'fail',
  statusMessage: '수신 거부 번호',
} as const;
/** The reference: a message with a character EUC-KR cannot carry (an emoji) fails. */
export const RESULT_UNSUPPORTED_CHARACTER = {
  statusCode: '3027',
  statusName: 'fail',
  statusMessage: '지원하지 않는 문자 포함',
} as const;

/** `telcoCode` values (UNCONFIRMED). */
export const TELCO_CODES = ['SKT', 'KT', 'LGT'] as const;

/** Top-level `statusCode` / `statusName` of lookups (UNCONFIRMED: only the presence of the fields is documented). */
export const LOOKUP_STATUS = { statusCode: '202', statusName: 'success' } as const;

/** The time zone of `requestTime`, `completeTime` and file times (UNCONFIRMED; presumably KST). */
export const VENDOR_UTC_OFFSET_MINUTES = 9 * 60;

/** How long an uploaded file lives: the reference says 6 days. */
export const FILE_LIFETIME_MS = 6 * 24 * 60 * 60 * 1000;

/** Opt-out registrations through this API are manual (`M`); ARS registrations (`C`) come from the phone line. */
export const OPT_OUT_REGISTER_TYPE = 'M';

/** The id formats (observations, not specs). */
export function requestIdFrom(now: number, hex: string): string {
  return `VORSSA-${now}-${hex.slice(0, 4)}-${hex.slice(4, 12)}-${hex.slice(12, 20)}`;
}
export function reserveRequestIdFrom(now: number, hex: string): string {
  return `RSSA-${now}-${hex.slice(0, 4)}-${hex.slice(4, 12)}-${hex.slice(12, 20)}`;
}
export function messageIdFrom(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A cancelled reservation's messages read as COMPLETED + fail with this code (UNCONFIRMED). */
export const RESULT_CANCELED = {
  statusCode: '3019',
  statusName: 'fail',
  statusMessage: '예약 취소',
} as const;

/*
 * Also chosen without a source (kept beside the code that uses them, named here so one file lists them all):
 * - the time-window list (`requestStartTime`/`requestEndTime`, `completeStartTime`/`completeEndTime`) answers every
 *   match at once with `requestId` on each entry: its pagination fields (pageIndex, pageSize, itemCount, hasMore)
 *   and its filters beyond messageId/type/contentType/countryCode are unconfirmed (index.ts, GET …/messages);
 * - an unknown requestId / messageId / reserveId is 404, an unknown service id 404;
 * - a result keeps statusCode/statusName/statusMessage/completeTime/telcoCode absent until COMPLETED;
 * - `GET …/unsubscribes` takes an optional `clientTelNo` filter and answers a bare array;
 * - files on a non-MMS send are refused (400) rather than ignored;
 * - a reservation can be cancelled only while READY (otherwise 400).
 */
