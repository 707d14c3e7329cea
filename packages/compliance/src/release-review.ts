import type { BlockListLookup } from './block-list';
import { assertApprovedSender, type CallingNumber } from './calling-number';
import { ComplianceError } from './compliance-error';
import type { ContentType } from './content-type';
import type { OptOutService } from './opt-out-service';
import type { Rejection } from './review-types';

/** The AD rule on the 080 service (정보통신망법 제50조): an ad needs a COMPLETE service with its 080 number. */
export function adOptOutServiceProblem(service: OptOutService | null | undefined): Rejection | null {
  if (service?.status === 'COMPLETE' && service.number080) return null;
  return {
    code: 'AD_OPT_OUT_SERVICE_REQUIRED',
    field: 'contentType',
    message: `an AD message needs a COMPLETE 080 opt-out service (it is ${service?.status ?? 'absent'})`,
  };
}

/** Whether a domestic recipient (normalized digits) is filtered: only AD is (the list covers ads only). */
export function isBlockedRecipient(
  contentType: ContentType,
  number: string,
  blockList: BlockListLookup,
): boolean {
  return contentType === 'AD' && blockList.has(number);
}

/** A message accepted earlier (a reservation, a schedule occurrence) about to be queued. */
export interface ReleasedMessage {
  readonly from: string;
  readonly contentType: ContentType;
  readonly countryCode: string;
  /** domestic: normalized digits as stored; international: the national number */
  readonly to: string;
}

/** The project's state at release; the caller reads it once for many messages. */
export interface ReleaseContext {
  readonly callingNumbers: readonly CallingNumber[];
  readonly optOutService: OptOutService | null;
  /** the 080 block list, at least for the AD recipients being released */
  readonly blockList: BlockListLookup;
}

/**
 * Re-checks at send time what may have changed since a message was accepted: the calling number still
 * APPROVED, and for AD the 080 service still COMPLETE and the recipient not on the block list. The same rules
 * (the same functions) the review of a new request applies. null: the message may go.
 */
export function reviewRelease(message: ReleasedMessage, context: ReleaseContext): Rejection | null {
  try {
    assertApprovedSender(message.from, context.callingNumbers);
  } catch (error) {
    if (error instanceof ComplianceError)
      return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  if (message.contentType !== 'AD') return null;
  const service = adOptOutServiceProblem(context.optOutService);
  if (service) return service;
  if (message.countryCode === '82' && isBlockedRecipient('AD', message.to, context.blockList))
    return {
      code: 'BLOCKED',
      field: 'to',
      message: `${message.to} joined the project's 080 opt-out list before the send time`,
    };
  return null;
}
