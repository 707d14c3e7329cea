import { normalizeKoreanNumber, parseInternationalNumber, PROFILES, resolveCallingCode } from '@munja/rules';
import { attempt, KOREA, nonEmpty, planContent, type ContentPlan, type Settings } from './content-plan';
import { parseContentType } from './content-type';
import { isBlockedRecipient } from './release-review';
import { checkRequest } from './request-check';
import {
  DEFAULT_COMPLIANCE_POLICY,
  type CompliancePolicy,
  type RecipientReview,
  type Rejection,
  type ReviewContext,
  type ReviewRequest,
  type ReviewResult,
} from './review-types';
import { SENS_SENDER_POLICIES } from './sender-policy';

export * from './review-types';

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

// A function of the module rather than a closure made per recipient: the build keeps function names (esbuild's
// keepNames), so each closure made cost a defineProperty (__name) besides its allocation.
function rejectedRecipient(index: number, to: string, r: Rejection): RecipientReview {
  return { outcome: 'REJECTED', index, to, ...r };
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
  const { errors, contentType, countryCode, from, requested, sendAt, deferred, ad } = checkRequest(
    request,
    context,
    policy,
    total,
  );

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
  const recipients: RecipientReview[] = new Array(total);
  let planned = 0;
  let blocked = 0;
  for (let index = 0; index < total; index++) {
    const message = messages[index];
    // Kept as given when it is a string; anything else is shown as '' so the answer stays JSON-exact.
    const to = typeof message?.to === 'string' ? message.to : '';
    if (message === null || typeof message !== 'object') {
      recipients[index] = rejectedRecipient(index, to, {
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
        recipients[index] = rejectedRecipient(index, to, r.rejection);
        continue;
      }
      number = r.value;
      // The block list holds domestic digits; only AD is filtered (정보통신망법 제50조 covers ads only).
      if (isBlockedRecipient(contentType, number, context.blockList)) {
        blocked++;
        recipients[index] = rejectedRecipient(index, to, {
          code: 'BLOCKED',
          field,
          message: `${number} is on the project's 080 opt-out list`,
        });
        continue;
      }
      e164 = `+${KOREA}${number.startsWith('0') ? number.slice(1) : number}`;
    } else {
      const r = attempt(() => parseInternationalNumber(message.to, countryCode, field));
      if ('rejection' in r) {
        recipients[index] = rejectedRecipient(index, to, r.rejection);
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
      recipients[index] = rejectedRecipient(index, to, {
        ...plan.rejection,
        field: plan.rejection.field.replace(/^messages\[\d+\]\./, prefix),
      });
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

/**
 * The numbers `reviewRequest` will look up in the block list for this request: the normalized, distinct
 * domestic recipients of an AD request (none for COMM, international or an invalid request). A caller whose
 * block list is too large to hold in memory fetches just these rows and passes them as a Set.
 * Numbers that do not normalize are left out: the review refuses them anyway.
 */
export function blockListCandidates(request: ReviewRequest): string[] {
  const contentType = attempt(() => parseContentType(request?.contentType));
  const countryCode = attempt(() => resolveCallingCode(request?.countryCode ?? KOREA));
  if (!('value' in contentType) || contentType.value !== 'AD') return [];
  if (!('value' in countryCode) || countryCode.value !== KOREA) return [];
  const numbers = new Set<string>();
  for (const message of Array.isArray(request.messages) ? request.messages : []) {
    const r = attempt(() => normalizeKoreanNumber(message?.to));
    if ('value' in r) numbers.add(r.value);
  }
  return [...numbers];
}
