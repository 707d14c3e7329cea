import {
  resolveDomesticType,
  RuleError,
  segment,
  type DomesticType,
  type DomesticTypeReason,
  type LimitProfile,
  type SmsEncoding,
} from '@munja/rules';
import { applyAdLabel, type AdLabelPart } from './ad-label';
import { ComplianceError } from './compliance-error';
import type { ContentType } from './content-type';
import type { CompliancePolicy, Rejection, ReviewRequest } from './review-types';
import { planInternationalSender, type PlannedSender, type SenderPolicyTable } from './sender-policy';

/** The Korean country calling code: domestic rules (bytes, types, labels, block list) apply to it. */
export const KOREA = '82';

export function toRejection(error: unknown): Rejection {
  if (error instanceof ComplianceError || error instanceof RuleError) {
    return { code: error.code, field: error.field, message: error.message };
  }
  throw error;
}

/** Run `fn`; a ComplianceError or RuleError becomes a Rejection, anything else is a bug and propagates. */
export function attempt<T>(fn: () => T): { value: T } | { rejection: Rejection } {
  try {
    return { value: fn() };
  } catch (error) {
    return { rejection: toRejection(error) };
  }
}

/** One distinct text, planned once and shared by every recipient that uses it. */
export interface DomesticContentPlan {
  readonly kind: 'domestic';
  readonly channel: DomesticType;
  readonly reason: DomesticTypeReason;
  readonly subject: string | null;
  readonly content: string;
  readonly contentBytes: number;
  readonly subjectBytes: number;
  readonly labels: readonly AdLabelPart[];
}

export interface InternationalContentPlan {
  readonly kind: 'international';
  readonly sender: PlannedSender;
  readonly content: string;
  readonly encoding: SmsEncoding;
  readonly parts: readonly string[];
  readonly units: number;
  readonly signatureInserted: boolean;
}

export type ContentPlan = DomesticContentPlan | InternationalContentPlan;

export interface Settings {
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

export function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Label (AD), then count and type (domestic) or sign and segment (international) one distinct text.
 * `prefix` is '' for the request's own subject/content and 'messages[i].' for a recipient's override.
 */
export function planContent(
  s: Settings,
  subject: string | undefined,
  content: string,
  prefix: string,
): ContentPlan {
  const field = `${prefix}content`;
  if (typeof content !== 'string' || content.length === 0) {
    throw new RuleError('CONTENT_EMPTY', field, `${field} is empty: there is nothing to send`);
  }
  if (s.countryCode !== KOREA) {
    if (subject !== undefined) {
      throw new RuleError('SUBJECT_NOT_ALLOWED', `${prefix}subject`, 'an international SMS has no subject');
    }
    const signed = planInternationalSender(s.senderPolicies, s.countryCode, s.from, content, field);
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
