import { cp949CanCarry, truncateToBytes } from './cp949';
import { MAX_FILES_PER_MMS, RESERVATION_MIN_LEAD_MS, SUPPORTED_COUNTRY_CODES } from './unconfirmed';
import { isTimeZone, parseReserveTime } from './vendor-time';

export type SensType = 'SMS' | 'LMS' | 'MMS';

/** Byte limits of the send API [SENS-send]; the fake keeps its own copy rather than importing @munja/rules. */
export const SENS_LIMITS = {
  SMS: { contentBytes: 90, subjectBytes: 0 },
  LMS: { contentBytes: 2000, subjectBytes: 40 },
  MMS: { contentBytes: 2000, subjectBytes: 40 },
} as const;
export const MAX_MESSAGES_PER_REQUEST = 100;

export interface PlannedRecipient {
  readonly to: string;
  /** subject and content as requested (what the result API shows) */
  readonly subject?: string;
  readonly content: string;
  /** what goes to the handset: cut to the type's byte limits */
  readonly sentSubject?: string;
  readonly sentContent: string;
  readonly truncated: boolean;
  /** false when the text has a character EUC-KR cannot carry: the message will fail */
  readonly carriable: boolean;
}

export interface SendPlan {
  /** the type sent: an MMS without files goes out as LMS [SENS-v2-old en] */
  readonly type: SensType;
  readonly contentType: 'COMM' | 'AD';
  readonly countryCode: string;
  readonly from: string;
  readonly recipients: readonly PlannedRecipient[];
  readonly fileIds: readonly string[];
  readonly reservation?: {
    readonly reserveTime: string;
    readonly reserveTimeZone: string;
    readonly at: number;
  };
}

export class SendRequestError extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export interface SendCheckEnvironment {
  readonly now: number;
  isRegisteredCallingNumber(from: string): boolean;
  /** `from` status to answer for an unregistered calling number */
  readonly unregisteredFromStatus: number;
  fileExists(fileId: string): boolean;
}

const DIGITS = /^\d+$/;

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SendRequestError(400, field, 'must be a string');
  return value;
}

/** A text as it goes to the handset (cut to `maxBytes` of CP949) and whether CP949 carries it, once per text. */
class CarriedTexts {
  private readonly seen = new Map<string, { sent: string; carriable: boolean }>();

  constructor(private readonly maxBytes: number) {}

  of(text: string): { sent: string; carriable: boolean } {
    let carried = this.seen.get(text);
    if (carried === undefined) {
      carried = { sent: truncateToBytes(text, this.maxBytes), carriable: cp949CanCarry(text) };
      this.seen.set(text, carried);
    }
    return carried;
  }
}

/** Check a send body the way SENS documents it and turn it into what the fake will store and count. */
export function planSend(body: unknown, env: SendCheckEnvironment): SendPlan {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SendRequestError(400, 'body', 'must be a JSON object');
  const b = body as Record<string, unknown>;

  // the old doc accepted lower case; the current one documents upper case
  const requestedType = typeof b.type === 'string' ? b.type.toUpperCase() : undefined;
  if (requestedType !== 'SMS' && requestedType !== 'LMS' && requestedType !== 'MMS')
    throw new SendRequestError(400, 'type', 'must be SMS, LMS or MMS');

  const contentType = b.contentType ?? 'COMM';
  if (contentType !== 'COMM' && contentType !== 'AD')
    throw new SendRequestError(400, 'contentType', 'must be COMM or AD');

  const countryCode = b.countryCode ?? '82';
  if (typeof countryCode !== 'string' || !SUPPORTED_COUNTRY_CODES.has(countryCode))
    throw new SendRequestError(400, 'countryCode', 'is not a supported country code');

  if (typeof b.from !== 'string' || !DIGITS.test(b.from))
    throw new SendRequestError(400, 'from', 'must be the calling number, digits only');
  if (!env.isRegisteredCallingNumber(b.from))
    throw new SendRequestError(env.unregisteredFromStatus, 'from', 'is not a registered calling number');

  if (typeof b.content !== 'string') throw new SendRequestError(400, 'content', 'is required');
  const defaultSubject = optionalString(b.subject, 'subject');

  let fileIds: string[] = [];
  if (b.files !== undefined && b.files !== null) {
    if (!Array.isArray(b.files)) throw new SendRequestError(400, 'files', 'must be an array');
    if (requestedType !== 'MMS') throw new SendRequestError(400, 'files', 'are for MMS only');
    if (b.files.length > MAX_FILES_PER_MMS)
      throw new SendRequestError(400, 'files', `at most ${MAX_FILES_PER_MMS} files`);
    fileIds = b.files.map((f: unknown, i) => {
      const fileId = (f as { fileId?: unknown } | null)?.fileId;
      if (typeof fileId !== 'string' || fileId === '')
        throw new SendRequestError(400, `files[${i}].fileId`, 'is required');
      if (!env.fileExists(fileId))
        throw new SendRequestError(400, `files[${i}].fileId`, 'unknown or expired file');
      return fileId;
    });
  }
  const type: SensType = requestedType === 'MMS' && fileIds.length === 0 ? 'LMS' : requestedType;
  const limits = SENS_LIMITS[type];

  if (!Array.isArray(b.messages) || b.messages.length === 0)
    throw new SendRequestError(400, 'messages', 'must be a non-empty array');
  if (b.messages.length > MAX_MESSAGES_PER_REQUEST)
    throw new SendRequestError(400, 'messages', `at most ${MAX_MESSAGES_PER_REQUEST} entries`);

  // the recipients of a call nearly always share its text: its CP949 cut and check are made once per distinct text
  const contents = new CarriedTexts(limits.contentBytes);
  const subjects = new CarriedTexts(limits.subjectBytes);
  const recipients = b.messages.map((entry: unknown, i): PlannedRecipient => {
    if (typeof entry !== 'object' || entry === null)
      throw new SendRequestError(400, `messages[${i}]`, 'must be an object');
    const e = entry as Record<string, unknown>;
    if (typeof e.to !== 'string' || !DIGITS.test(e.to))
      throw new SendRequestError(400, `messages[${i}].to`, 'must be digits only (no "-")');
    // subjects exist for LMS/MMS only; an SMS keeps none
    const subject =
      type === 'SMS' ? undefined : (optionalString(e.subject, `messages[${i}].subject`) ?? defaultSubject);
    const content = optionalString(e.content, `messages[${i}].content`) ?? b.content;
    if (typeof content !== 'string') throw new SendRequestError(400, 'content', 'is required');
    const sentContent = contents.of(content);
    const sentSubject = subject === undefined ? undefined : subjects.of(subject);
    return {
      to: e.to,
      subject,
      content,
      sentSubject: sentSubject?.sent,
      sentContent: sentContent.sent,
      truncated: sentContent.sent !== content || (sentSubject !== undefined && sentSubject.sent !== subject),
      carriable: sentContent.carriable && (sentSubject === undefined || sentSubject.carriable),
    };
  });

  let reservation: SendPlan['reservation'];
  if (b.reserveTime !== undefined && b.reserveTime !== null) {
    const zone = b.reserveTimeZone ?? 'Asia/Seoul';
    if (typeof zone !== 'string' || !isTimeZone(zone))
      throw new SendRequestError(400, 'reserveTimeZone', 'is not a time zone name');
    if (typeof b.reserveTime !== 'string')
      throw new SendRequestError(400, 'reserveTime', 'must be yyyy-MM-dd HH:mm');
    const at = parseReserveTime(b.reserveTime, zone);
    if (at === undefined) throw new SendRequestError(400, 'reserveTime', 'must be yyyy-MM-dd HH:mm');
    if (at <= env.now + RESERVATION_MIN_LEAD_MS)
      throw new SendRequestError(400, 'reserveTime', 'must be in the future');
    reservation = { reserveTime: b.reserveTime, reserveTimeZone: zone, at };
  }

  return {
    type,
    contentType,
    countryCode,
    from: b.from,
    recipients,
    fileIds,
    ...(reservation ? { reservation } : {}),
  };
}
