import type {
  DomesticType,
  DomesticTypeReason,
  LimitProfile,
  RuleErrorCode,
  SmsEncoding,
} from '@munja/rules';
import type { AdLabelMode, AdLabelPart } from './ad-label';
import type { BlockListLookup } from './block-list';
import type { CallingNumber } from './calling-number';
import type { ComplianceErrorCode } from './compliance-error';
import type { ContentType } from './content-type';
import type { NightWindowPolicy } from './night-window';
import type { OptOutService } from './opt-out-service';
import type { PlannedSender, SenderPolicyTable } from './sender-policy';

// The shapes reviewRequest takes and gives. All plain data: the result is also the API's dry-run answer.

/**
 * One recipient, with optional per-recipient subject and content (as in the SENS API's `messages`); an absent
 * or empty one means the request's own.
 */
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
