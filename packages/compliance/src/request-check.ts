import { resolveCallingCode } from '@munja/rules';
import { assertApprovedSender } from './calling-number';
import { ComplianceError } from './compliance-error';
import { attempt, KOREA, nonEmpty, type Settings } from './content-plan';
import { parseContentType, type ContentType } from './content-type';
import { judgeNightWindow } from './night-window';
import { adOptOutServiceProblem } from './release-review';
import type { CompliancePolicy, Rejection, ReviewContext, ReviewRequest } from './review-types';
import { DEFAULT_RESERVE_TIME_ZONE, parseReserveTime } from './send-time';

/** What the request-level checks found: every independent problem, and what they established. */
export interface RequestCheck {
  readonly errors: Rejection[];
  readonly contentType: ContentType | undefined;
  readonly countryCode: string | undefined;
  readonly from: string | undefined;
  /** the reservation, else now */
  readonly requested: Date | undefined;
  /** `requested`, or the next 08:00 Seoul when an AD was deferred */
  readonly sendAt: Date | undefined;
  readonly deferred: boolean;
  /** set for an AD request whose 080 service is COMPLETE */
  readonly ad: Settings['ad'];
}

/** `fn`'s value, or undefined with its refusal added to `errors`. */
function collectInto<T>(errors: Rejection[], fn: () => T): T | undefined {
  const r = attempt(fn);
  if ('rejection' in r) {
    errors.push(r.rejection);
    return undefined;
  }
  return r.value;
}

/**
 * The checks that refuse a whole request: content type, country, sender (APPROVED calling number),
 * recipients present, send time, and for AD the 080 service, the night window and the country. They are all
 * run, so a dry run lists every problem at once.
 */
export function checkRequest(
  request: ReviewRequest,
  context: ReviewContext,
  policy: CompliancePolicy,
  total: number,
): RequestCheck {
  const errors: Rejection[] = [];

  const contentType = collectInto(errors, () => parseContentType(request?.contentType));
  const countryCode = collectInto(errors, () => resolveCallingCode(request?.countryCode ?? KOREA));
  const from = collectInto(errors, () => assertApprovedSender(request?.from, context.callingNumbers ?? []));
  if (total === 0) {
    errors.push({
      code: 'NO_RECIPIENTS',
      field: 'messages',
      message: 'messages must list at least one recipient',
    });
  }
  const requested = collectInto(errors, () => {
    if (!(context.now instanceof Date) || Number.isNaN(context.now.getTime())) {
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
    const problem = adOptOutServiceProblem(service);
    if (problem) errors.push(problem);
    else if (service?.number080)
      ad = { senderName: (policy.adSenderName ?? service.companyName).trim(), number080: service.number080 };
    if (countryCode !== undefined && countryCode !== KOREA) {
      errors.push({
        code: 'AD_INTERNATIONAL_NOT_SUPPORTED',
        field: 'contentType',
        message: 'AD messages are supported for Korean recipients only (countryCode 82)',
      });
    }
    if (requested) {
      // Without a reserveTime the send time is now: the field to change is then the AD type, not a time never sent.
      const field = nonEmpty(request?.reserveTime) === undefined ? 'contentType' : 'reserveTime';
      const decision = collectInto(errors, () => judgeNightWindow(requested, policy.nightWindow, field));
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

  return { errors, contentType, countryCode, from, requested, sendAt, deferred, ad };
}
