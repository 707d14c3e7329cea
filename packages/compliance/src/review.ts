import {
  normalizeKoreanNumber,
  parseInternationalNumber,
  PROFILES,
  resolveCallingCode,
  resolveDomesticType,
  RuleError,
  segment,
  type DomesticType,
  type DomesticTypeReason,
  type LimitProfile,
  type RuleErrorCode,
  type SmsEncoding,
} from '@munja/rules';
import { applyAdLabel, type AdLabelMode, type AdLabelPart } from './ad-label';
import type { BlockListLookup } from './block-list';
import { assertApprovedSender, type CallingNumber } from './calling-number';
import { ComplianceError, type ComplianceErrorCode } from './compliance-error';
import { parseContentType, type ContentType } from './content-type';
import { judgeNightWindow, type NightWindowPolicy } from './night-window';
import type { OptOutService } from './opt-out-service';
import { parseReserveTime, DEFAULT_RESERVE_TIME_ZONE } from './send-time';
import {
  planInternationalSender,
  SENS_SENDER_POLICIES,
  type PlannedSender,
  type SenderPolicyTable,
} from './sender-policy';

const KOREA = '82';

/** One recipient, with optional per-recipient subject and content (as in the SENS API's `messages`). */
export interface ReviewRecipient {
  readonly to: string;
  readonly subject?: string;
  readonly content?: string;
}

/** A send request as the API takes it (the SENS v2 shape). */
export interface ReviewRequest {
  /** domestic type; absent = chosen from the content. International messages are SMS. */
  readonly type?: DomesticType;
  /** COMM (default) or AD */
  readonly contentType?: ContentType;
  /** the recipients' country calling code ('82', '+1', 'JP'...); default 82 */
  readonly countryCode?: string;
  /** the calling number; it must be APPROVED */
  readonly from: string;
  readonly subject?: string;
  readonly content: string;
  /** number of attached files (MMS images), already uploaded */
  readonly fileCount?: number;
  /** a reservation: `yyyy-MM-dd HH:mm` or ISO-8601; absent = now */
  readonly reserveTime?: string;
  /** IANA zone `reserveTime` is written in when it has no offset; default Asia/Seoul */
  readonly reserveTimeZone?: string;
  readonly messages: readonly ReviewRecipient[];
}

export interface CompliancePolicy {
  /** AD inside 21:00–08:00 Seoul: refuse the request, or move it to the next 08:00 */
  readonly nightWindow: NightWindowPolicy;
  /** AD labels: add what is missing, or refuse */
  readonly adLabel: AdLabelMode;
  /** the sender name after `(광고)`; default the 080 service's company name */
  readonly adSenderName?: string;
}

export const DEFAULT_COMPLIANCE_POLICY: CompliancePolicy = { nightWindow: 'reject', adLabel: 'insert' };

/** Everything a review needs besides the request: stored state and the current time are parameters. */
export interface ReviewContext {
  readonly now: Date;
  /** every calling number of the project */
  readonly callingNumbers: readonly CallingNumber[];
  /** the project's current (latest) 080 opt-out service, if any */
  readonly optOutService: OptOutService | null;
  /** the current generation's block list, keyed by normalized digits; a Set<string> fits */
  readonly blockList: BlockListLookup;
  readonly policy?: Partial<CompliancePolicy>;
  /** the domestic limit profile of the plugin that will send; default PROFILES.SENS */
  readonly profile?: LimitProfile;
  /** the international sender table of the plugin that will send; default SENS_SENDER_POLICIES */
  readonly senderPolicies?: SenderPolicyTable;
  /** international parts limit; default 5 */
  readonly maxParts?: number;
}

export interface Rejection {
  readonly code: ComplianceErrorCode | RuleErrorCode;
  /** the request field, e.g. 'from', 'content', 'messages[3].to' */
  readonly field: string;
  readonly message: string;
}

interface PlannedBase {
  readonly outcome: 'PLANNED';
  /** position in `messages` */
  readonly index: number;
  /** as the request gave it */
  readonly to: string;
  readonly e164: string;
  readonly countryCode: string;
  readonly contentType: ContentType;
  /** the final text, labels and signatures included */
  readonly content: string;
  /** ISO-8601 UTC: the reservation, now, or (deferred) the next 08:00 Seoul */
  readonly sendAt: string;
}

export interface PlannedDomesticMessage extends PlannedBase {
  readonly channel: DomesticType;
  /** why this type (rules' reason code) */
  readonly reason: DomesticTypeReason;
  /** digits only, e.g. '01012345678' — the form the block list and SENS use */
  readonly number: string;
  readonly from: string;
  readonly subject: string | null;
  readonly contentBytes: number;
  readonly subjectBytes: number;
  /** what the ad labelling added (empty for COMM or complying text) */
  readonly labels: readonly AdLabelPart[];
}

export interface PlannedInternationalMessage extends PlannedBase {
  readonly channel: 'INTL';
  /** national significant number */
  readonly number: string;
  readonly sender: PlannedSender;
  readonly encoding: SmsEncoding;
  readonly parts: readonly string[];
  readonly units: number;
  readonly signatureInserted: boolean;
}

export type PlannedMessage = PlannedDomesticMessage | PlannedInternationalMessage;

export interface RejectedRecipient extends Rejection {
  readonly outcome: 'REJECTED';
  readonly index: number;
  readonly to: string;
}

export type RecipientReview = PlannedMessage | RejectedRecipient;

/** JSON-serializable: this is also the API's dry-run answer. */
export interface ReviewResult {
  /** false when the request as a whole is refused: then `errors` says why and `recipients` is empty */
  readonly ok: boolean;
  readonly errors: readonly Rejection[];
  readonly contentType: ContentType | null;
  readonly countryCode: string | null;
  /** the normalized calling number */
  readonly from: string | null;
  readonly policy: CompliancePolicy;
  /** the time asked for: the reservation, else now (ISO-8601 UTC) */
  readonly requestedSendAt: string | null;
  /** when the messages go: requestedSendAt, or the next 08:00 Seoul when deferred */
  readonly sendAt: string | null;
  readonly deferred: boolean;
  /** one entry per `messages` element, in order */
  readonly recipients: readonly RecipientReview[];
  readonly summary: {
    readonly total: number;
    readonly planned: number;
    readonly rejected: number;
    readonly blocked: number;
  };
}

function toRejection(error: unknown): Rejection {
  if (error instanceof ComplianceError || error instanceof RuleError) {
    return { code: error.code, field: error.field, message: error.message };
  }
  throw error;
}

/** Run `fn`; a ComplianceError or RuleError becomes a Rejection, anything else is a bug and propagates. */
function attempt<T>(fn: () => T): { value: T } | { rejection: Rejection } {
  try {
    return { value: fn() };
  } catch (error) {
    return { rejection: toRejection(error) };
  }
}

interface DomesticContentPlan {
  readonly kind: 'domestic';
  readonly channel: DomesticType;
  readonly reason: DomesticTypeReason;
  readonly subject: string | null;
  readonly content: string;
  readonly contentBytes: number;
  readonly subjectBytes: number;
  readonly labels: readonly AdLabelPart[];
}

interface InternationalContentPlan {
  readonly kind: 'international';
  readonly sender: PlannedSender;
  readonly content: string;
  readonly encoding: SmsEncoding;
  readonly parts: readonly string[];
  readonly units: number;
  readonly signatureInserted: boolean;
}

type ContentPlan = DomesticContentPlan | InternationalContentPlan;

interface Settings {
  readonly request: ReviewRequest;
  readonly contentType: ContentType;
  readonly countryCode: string;
  readonly from: string;
  readonly profile: LimitProfile;
  readonly senderPolicies: SenderPolicyTable;
  readonly maxParts: number;
  readonly policy: CompliancePolicy;
  /** set for AD */
  readonly ad: { readonly senderName: string; readonly number080: string } | null;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Label (AD), then count and type (domestic) or sign and segment (international) one distinct text.
 * `prefix` is '' for the request's own subject/content and 'messages[i].' for a recipient's override.
 */
function planContent(s: Settings, subject: string | undefined, content: string, prefix: string): ContentPlan {
  const field = `${prefix}content`;
  if (typeof content !== 'string' || content.length === 0) {
    throw new RuleError('CONTENT_EMPTY', field, `${field} is empty: there is nothing to send`);
  }
  if (s.countryCode !== KOREA) {
    if (subject !== undefined) {
      throw new RuleError('SUBJECT_NOT_ALLOWED', `${prefix}subject`, 'an international SMS has no subject');
    }
    const signed = planInternationalSender(s.senderPolicies, s.countryCode, s.from, content);
    const plan = segment(signed.text, { maxParts: s.maxParts, field });
    return {
      kind: 'international',
      sender: signed.sender,
      content: signed.text,
      encoding: plan.encoding,
      parts: plan.parts,
      units: plan.units,
      signatureInserted: signed.signatureInserted,
    };
  }

  const labelled = s.ad
    ? applyAdLabel(
        content,
        { senderName: s.ad.senderName, number080: s.ad.number080, mode: s.policy.adLabel },
        field,
      )
    : { content, inserted: [] as AdLabelPart[] };
  let decision;
  try {
    decision = resolveDomesticType(
      { type: s.request.type, subject, content: labelled.content, fileCount: s.request.fileCount },
      s.profile,
      { fieldPrefix: prefix },
    );
  } catch (error) {
    if (error instanceof RuleError && labelled.inserted.length > 0 && error.code === 'CONTENT_TOO_LONG') {
      // An explicitly requested SMS that the label and footer pushed over the limit stays an error: the type
      // the caller asked for is never silently changed.
      throw new RuleError(
        error.code,
        error.field,
        `${error.message} (after adding the ad ${labelled.inserted.join(', ')})`,
        error.details,
      );
    }
    throw error;
  }
  return {
    kind: 'domestic',
    channel: decision.type,
    reason: decision.reason,
    subject: subject ?? null,
    content: labelled.content,
    contentBytes: decision.contentBytes,
    subjectBytes: decision.subjectBytes,
    labels: labelled.inserted,
  };
}

function refused(
  policy: CompliancePolicy,
  errors: Rejection[],
  total: number,
  parts: Partial<Pick<ReviewResult, 'contentType' | 'countryCode' | 'from' | 'requestedSendAt'>>,
): ReviewResult {
  return {
    ok: false,
    errors,
    contentType: parts.contentType ?? null,
    countryCode: parts.countryCode ?? null,
    from: parts.from ?? null,
    policy,
    requestedSendAt: parts.requestedSendAt ?? null,
    sendAt: null,
    deferred: false,
    recipients: [],
    summary: { total, planned: 0, rejected: total, blocked: 0 },
  };
}

/**
 * Review one send request against the rules and the law, for every recipient. Pure: the project's state and
 * the time come in `context`. Request-level problems (sender not APPROVED, AD without a COMPLETE 080 service,
 * AD in the night window under `reject`, bad content, bad reservation) refuse the whole request; per-recipient
 * problems (a bad number, BLOCKED by the 080 list, a bad per-recipient content) refuse only that recipient.
 */
export function reviewRequest(request: ReviewRequest, context: ReviewContext): ReviewResult {
  const policy: CompliancePolicy = { ...DEFAULT_COMPLIANCE_POLICY, ...stripUndefined(context.policy ?? {}) };
  const messages = Array.isArray(request?.messages) ? request.messages : [];
  const total = messages.length;
  const errors: Rejection[] = [];
  const collect = <T>(fn: () => T): T | undefined => {
    const r = attempt(fn);
    if ('rejection' in r) {
      errors.push(r.rejection);
      return undefined;
    }
    return r.value;
  };

  const contentType = collect(() => parseContentType(request?.contentType));
  const countryCode = collect(() => resolveCallingCode(request?.countryCode ?? KOREA));
  const from = collect(() => assertApprovedSender(request?.from, context.callingNumbers ?? []));
  if (total === 0) {
    errors.push({
      code: 'NO_RECIPIENTS',
      field: 'messages',
      message: 'messages must list at least one recipient',
    });
  }
  const requested = collect(() => {
    if (Number.isNaN(context.now?.getTime?.())) {
      throw new ComplianceError('INVALID_SEND_TIME', 'now', 'the review needs a valid current time');
    }
    return nonEmpty(request?.reserveTime) === undefined
      ? context.now
      : parseReserveTime(request.reserveTime!, request.reserveTimeZone ?? DEFAULT_RESERVE_TIME_ZONE);
  });

  let ad: Settings['ad'] = null;
  let sendAt = requested;
  let deferred = false;
  if (contentType === 'AD') {
    const service = context.optOutService;
    if (service?.status !== 'COMPLETE' || !service.number080) {
      errors.push({
        code: 'AD_OPT_OUT_SERVICE_REQUIRED',
        field: 'contentType',
        message: `an AD message needs a COMPLETE 080 opt-out service (it is ${service?.status ?? 'absent'})`,
      });
    } else {
      ad = { senderName: (policy.adSenderName ?? service.companyName).trim(), number080: service.number080 };
    }
    if (countryCode !== undefined && countryCode !== KOREA) {
      errors.push({
        code: 'AD_INTERNATIONAL_NOT_SUPPORTED',
        field: 'contentType',
        message: 'AD messages are supported for Korean recipients only (countryCode 82)',
      });
    }
    if (requested) {
      const decision = collect(() => judgeNightWindow(requested, policy.nightWindow, 'reserveTime'));
      if (decision) {
        sendAt = new Date(decision.sendAt);
        deferred = decision.deferred;
      }
    }
  }
  if (countryCode !== undefined && countryCode !== KOREA) {
    if (request?.type !== undefined && request.type !== 'SMS') {
      errors.push({ code: 'INVALID_TYPE', field: 'type', message: 'an international message is always SMS' });
    }
    if ((request?.fileCount ?? 0) > 0) {
      errors.push({
        code: 'FILES_NOT_ALLOWED',
        field: 'files',
        message: 'an international SMS cannot carry files',
      });
    }
  }

  const base = { contentType, countryCode, from, requestedSendAt: requested?.toISOString() };
  if (errors.length > 0 || !contentType || !countryCode || !from || !sendAt)
    return refused(policy, errors, total, base);

  const settings: Settings = {
    request,
    contentType,
    countryCode,
    from,
    profile: context.profile ?? PROFILES.SENS,
    senderPolicies: context.senderPolicies ?? SENS_SENDER_POLICIES,
    maxParts: context.maxParts ?? 5,
    policy,
    ad,
  };

  // The request's own subject/content is checked once, and a failure refuses the request: every recipient
  // that does not override it would fail the same way.
  const requestSubject = nonEmpty(request.subject);
  const usesRequestContent = messages.some(
    (m) => nonEmpty(m?.content) === undefined && nonEmpty(m?.subject) === undefined,
  );
  const cache = new Map<string, { value: ContentPlan } | { rejection: Rejection }>();
  if (usesRequestContent) {
    const own = attempt(() => planContent(settings, requestSubject, request.content, ''));
    if ('rejection' in own) return refused(policy, [own.rejection], total, base);
    cache.set(cacheKey(requestSubject, request.content, ''), own);
  }

  const sendAtIso = sendAt.toISOString();
  const isAd = contentType === 'AD';
  const recipients: RecipientReview[] = new Array(total);
  let planned = 0;
  let blocked = 0;
  for (let index = 0; index < total; index++) {
    const message = messages[index];
    // Kept as given when it is a string; anything else is shown as '' so the answer stays JSON-exact.
    const to = typeof message?.to === 'string' ? message.to : '';
    const reject = (r: Rejection): void => {
      recipients[index] = { outcome: 'REJECTED', index, to, ...r };
    };
    if (message === null || typeof message !== 'object') {
      reject({
        code: 'INVALID_RECIPIENT',
        field: `messages[${index}]`,
        message: 'a recipient is an object with `to`',
      });
      continue;
    }
    const field = `messages[${index}].to`;

    let number: string;
    let e164: string;
    if (countryCode === KOREA) {
      const r = attempt(() => normalizeKoreanNumber(message.to, field));
      if ('rejection' in r) {
        reject(r.rejection);
        continue;
      }
      number = r.value;
      // The block list holds domestic digits; only AD is filtered (정보통신망법 제50조 covers ads only).
      if (isAd && context.blockList.has(number)) {
        blocked++;
        reject({ code: 'BLOCKED', field, message: `${number} is on the project's 080 opt-out list` });
        continue;
      }
      e164 = `+${KOREA}${number.startsWith('0') ? number.slice(1) : number}`;
    } else {
      const r = attempt(() => parseInternationalNumber(message.to, countryCode, field));
      if ('rejection' in r) {
        reject(r.rejection);
        continue;
      }
      number = r.value.nationalNumber;
      e164 = r.value.e164;
    }

    const subject = nonEmpty(message.subject) ?? requestSubject;
    const ownContent = nonEmpty(message.content);
    const content = ownContent ?? request.content;
    const prefix =
      ownContent !== undefined || nonEmpty(message.subject) !== undefined ? `messages[${index}].` : '';
    const key = cacheKey(subject, content, prefix === '' ? '' : 'own');
    let plan = cache.get(key);
    if (!plan) {
      plan = attempt(() => planContent(settings, subject, content, prefix));
      // Per-recipient overrides are cached under a neutral key, so the field prefix is re-pointed on reuse.
      cache.set(key, plan);
    }
    if ('rejection' in plan) {
      reject({ ...plan.rejection, field: plan.rejection.field.replace(/^messages\[\d+\]\./, prefix) });
      continue;
    }
    const p = plan.value;
    planned++;
    if (p.kind === 'domestic') {
      recipients[index] = {
        outcome: 'PLANNED',
        index,
        to,
        number,
        e164,
        countryCode,
        contentType,
        channel: p.channel,
        reason: p.reason,
        from,
        subject: p.subject,
        content: p.content,
        contentBytes: p.contentBytes,
        subjectBytes: p.subjectBytes,
        labels: p.labels,
        sendAt: sendAtIso,
      };
    } else {
      recipients[index] = {
        outcome: 'PLANNED',
        index,
        to,
        number,
        e164,
        countryCode,
        contentType,
        channel: 'INTL',
        sender: p.sender,
        content: p.content,
        encoding: p.encoding,
        parts: p.parts,
        units: p.units,
        signatureInserted: p.signatureInserted,
        sendAt: sendAtIso,
      };
    }
  }

  return {
    ok: true,
    errors: [],
    contentType,
    countryCode,
    from,
    policy,
    requestedSendAt: requested!.toISOString(),
    sendAt: sendAtIso,
    deferred,
    recipients,
    summary: { total, planned, rejected: total - planned, blocked },
  };
}

function cacheKey(subject: string | undefined, content: string, scope: string): string {
  return `${scope}\u0000${subject ?? '\u0001'}\u0000${content}`;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
