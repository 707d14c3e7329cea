/**
 * Infobank OMNI wire facts the sources confirm (docs/vendor-apis.md § B): base URL, paths, headers, result codes
 * and body shapes. Guesses live in unconfirmed.ts.
 */

/** [IB-java] core/HttpConfig.java DEFAULT_BASE_URL; every curl in the gitbook */
export const OMNI_BASE_URL = 'https://omni.ibapi.kr';

export const PATHS = {
  token: '/v1/auth/token',
  sms: '/v1/send/sms',
  mms: '/v1/send/mms',
  international: '/v1/send/international',
  mmsFile: '/v1/file/MMS',
  polling: '/v1/report/polling',
} as const;

export const TOKEN_HEADERS = { clientId: 'x-ib-client-id', password: 'x-ib-client-passwd' } as const;

/** The documented result codes (seed 004). */
export const CODES = {
  SUCCESS: 'A000',
  EXPIRED_TOKEN: 'A001',
  BAD_REQUEST: 'A010',
  RATE_LIMITED: 'A020',
  UNKNOWN_ERROR: 'A999',
} as const;

/** Reports per polling batch at most [IB-gitbook report/polling]. */
export const POLLING_BATCH_MAX = 1000;

/** `ref` at most 200 characters on every simple send endpoint. */
export const REF_MAX_CHARS = 200;
/** `fileKey` at most 3 keys [IB-js] MMSRequestBody.ts */
export const MMS_MAX_FILES = 3;
/** international SMS: 5 concatenated parts at most (seed 004) */
export const INTERNATIONAL_MAX_PARTS = 5;

export interface OmniResultBody {
  code?: unknown;
  result?: unknown;
  msgKey?: unknown;
  ref?: unknown;
  data?: unknown;
}

export interface SmsRequestBody {
  from: string;
  to: string;
  text: string;
  ref?: string;
}

export interface MmsRequestBody extends SmsRequestBody {
  title?: string;
  fileKey?: string[];
}

export type InternationalRequestBody = SmsRequestBody;
