import iconv from 'iconv-lite';
import type { OmniKind } from './wire';

/**
 * The fake's own field checks for the simple send endpoints. They are written independently of
 * @munja/rules on purpose: the fake is the vendor, and a plugin bug must not be hidden by sharing its code.
 */
export interface ValidSend {
  kind: OmniKind;
  from: string;
  to: string;
  text: string;
  title?: string;
  fileKeys: string[];
  ref?: string;
  /** international: concatenated parts the vendor will count (resCnt) */
  parts: number;
}

export class FieldError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** CP949 bytes; a character the vendor's EUC-KR path cannot carry (emoji) fails the send. */
function koreanBytes(field: string, text: string): number {
  const bytes = iconv.encode(text, 'cp949');
  if (iconv.decode(bytes, 'cp949') !== text) throw new FieldError(field, 'character not encodable in EUC-KR');
  return bytes.length;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw new FieldError(field, 'required string');
  return value;
}

function optionalString(body: Record<string, unknown>, field: string, maxChars: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldError(field, 'must be a string');
  if ([...value].length > maxChars) throw new FieldError(field, `longer than ${maxChars} characters`);
  return value;
}

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

/** Concatenated-SMS parts of an international text: 160/153 septets (GSM-7) or 70/67 code units (UCS-2). */
export function internationalParts(text: string): number {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENSION.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const [units, single, perPart] = gsm ? [septets, 160, 153] : [text.length, 70, 67];
  return units <= single ? 1 : Math.ceil(units / perPart);
}

const DOMESTIC_NUMBER = /^0\d{8,11}$/;
const CALLING_NUMBER = /^\d{4,12}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Seed 004: 5 parts at most (765 GSM-7 / 335 local characters). */
const MAX_INTERNATIONAL_PARTS = 5;

/**
 * Check one send body for `kind` ('SMS' for /v1/send/sms, 'MMS' for /v1/send/mms, 'INTL' for
 * /v1/send/international); throws FieldError, which the route answers with A010.
 */
export function validateSend(endpoint: 'SMS' | 'MMS' | 'INTL', raw: unknown): ValidSend {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FieldError('body', 'not an object');
  const body = raw as Record<string, unknown>;
  const from = requiredString(body, 'from');
  const to = requiredString(body, 'to');
  const text = requiredString(body, 'text');
  const ref = optionalString(body, 'ref', 200);
  optionalString(body, 'originCID', 9);
  if (!CALLING_NUMBER.test(from)) throw new FieldError('from', 'not a calling number');

  if (endpoint === 'INTL') {
    if (!E164.test(to)) throw new FieldError('to', 'not an international number (+E.164)');
    if ([...text].length > 2000) throw new FieldError('text', 'longer than 2000 characters');
    const parts = internationalParts(text);
    if (parts > MAX_INTERNATIONAL_PARTS) throw new FieldError('text', `${parts} parts, more than 5`);
    return { kind: 'INTL', from, to, text, fileKeys: [], ref, parts };
  }

  if (!DOMESTIC_NUMBER.test(to)) throw new FieldError('to', 'not a domestic number');
  if (endpoint === 'SMS') {
    if (koreanBytes('text', text) > 90) throw new FieldError('text', 'more than 90 bytes');
    return { kind: 'SMS', from, to, text, fileKeys: [], ref, parts: 1 };
  }
  if (koreanBytes('text', text) > 2000) throw new FieldError('text', 'more than 2000 bytes');
  const title = optionalString(body, 'title', 2000);
  // UNCONFIRMED: 40 bytes per the SDK's request type (its Send.ts comment says 20).
  if (title !== undefined && koreanBytes('title', title) > 40)
    throw new FieldError('title', 'more than 40 bytes');
  const fileKeyRaw = body.fileKey;
  let fileKeys: string[] = [];
  if (fileKeyRaw !== undefined && fileKeyRaw !== null) {
    if (!Array.isArray(fileKeyRaw) || !fileKeyRaw.every((k) => typeof k === 'string' && k !== ''))
      throw new FieldError('fileKey', 'must be an array of file keys');
    if (fileKeyRaw.length > 3) throw new FieldError('fileKey', 'more than 3 files');
    fileKeys = fileKeyRaw as string[];
  }
  return {
    kind: fileKeys.length > 0 ? 'MMS' : 'LMS',
    from,
    to,
    text,
    title,
    fileKeys,
    ref,
    parts: 1,
  };
}
