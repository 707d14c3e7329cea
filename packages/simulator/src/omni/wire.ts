/**
 * The faked Infobank OMNI wire format: result codes, report fields and the choices the fake makes where the
 * vendor reference (docs/vendor-apis.md § B) says UNCONFIRMED. Every such guess lives here, named, so that a
 * check against the real API changes this one file.
 */

/** Result codes from the international-send page (seed 004): the only ones the vendor documents publicly. */
export const OMNI_CODES = {
  A000: 'Success',
  A001: 'Expired token',
  A010: 'Cannot parse JSON',
  A020: 'Rate limit exceeded',
  A999: 'Unknown error',
} as const;
export type OmniCode = keyof typeof OMNI_CODES;

/**
 * UNCONFIRMED: which HTTP status accompanies each code is not documented. The fake answers like a
 * conventional JSON API; the plugin classifies by the body's code first, the HTTP status only as a fallback.
 */
export const HTTP_STATUS_FOR_CODE: Record<OmniCode, number> = {
  A000: 200,
  A001: 401,
  A010: 400,
  A020: 429,
  A999: 500,
};

/** Default token lifetime: 24 h [IB-gitbook auth]. */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Reports per polling batch at most [IB-gitbook report/polling]. */
export const POLLING_BATCH_MAX = 1000;

/**
 * UNCONFIRMED: what `reportType` values mean. The gitbook shows `"0"`; the seed says an international message
 * gets two reports (relay acceptance = the ordinary report, then the DLR). The fake uses "0" for the ordinary
 * report (domestic final result, international relay acceptance) and "1" for the international DLR.
 */
export const REPORT_TYPE = { ORDINARY: '0', DLR: '1' } as const;

/**
 * `reportCode` "10000" = Success is shown in the gitbook; the failure codes below are UNCONFIRMED inventions
 * of the fake (the code table was not reachable), one for "failed" and one for "expired".
 */
export const REPORT_CODES = {
  SUCCESS: { code: '10000', text: 'Success' },
  FAILED: { code: '20001', text: 'Unknown subscriber' },
  EXPIRED: { code: '20002', text: 'Expired' },
} as const;

/** UNCONFIRMED: carrier codes (the gitbook shows "10001" only). */
export const CARRIERS = ['10001', '10002', '10003'] as const;

/** serviceType / msgType pairs [IB-java] data/code/ServiceType.java, MessageType.java. */
export const SERVICE = {
  SMS: { serviceType: 'SMS', msgType: 'SM' },
  LMS: { serviceType: 'MMS', msgType: 'LM' },
  MMS: { serviceType: 'MMS', msgType: 'MM' },
  INTL: { serviceType: 'INTERNATIONAL', msgType: 'IM' },
} as const;
export type OmniKind = keyof typeof SERVICE;

/** UNCONFIRMED: OMNI MMS image rules; the fake applies the Korean carriers' common rule (JPEG ≤ 300 KB). */
export const MMS_FILE_MAX_BYTES = 300 * 1024;
/** UNCONFIRMED: how long an uploaded file key stays usable; the fake keeps it 6 days like SENS. */
export const FILE_LIFETIME_MS = 6 * 24 * 60 * 60 * 1000;

/** one report as OMNI carries it in polling, inquiry and webhook bodies */
export interface OmniReport {
  msgKey: string;
  serviceType: string;
  msgType: string;
  sendTime: string;
  reportTime: string;
  reportType: string;
  reportCode: string;
  reportText: string;
  carrier: string;
  resCnt?: number;
  ref?: string;
}

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** `yyyy-MM-dd'T'HH:mm:ss+09:00`, the format of token `expired`, `sendTime`, `reportTime` in polling. */
export function kstIso(ms: number): string {
  return `${new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

/**
 * `yyyy-MM-dd'T'HH:mm:ss.SSS` with no offset: the webhook's `reportTime` per [IB-js] WebhookRequestBody.ts.
 * UNCONFIRMED that it is Korean wall time; the fake writes KST.
 */
export function kstLocalMillis(ms: number): string {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 23);
}
