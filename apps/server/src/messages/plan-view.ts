import type { AdLabelPart, CompliancePolicy, ReviewResult } from '@munja/compliance';
import type { ResolvedReserveTime } from '@munja/scheduling';
import type { MessageType } from './message.entity';
import { plannedType } from './send-plan';

export interface PlannedRecipientView {
  index: number;
  to: string;
  outcome: 'PLANNED';
  type: MessageType;
  /** digits as sent: domestic digits, or the national number abroad */
  number: string;
  e164: string;
  countryCode: string;
  from: string | null;
  subject: string | null;
  /** the final text, labels and signatures included */
  content: string;
  /** domestic: CP949 bytes of content and subject, and why this type */
  bytes?: number;
  subjectBytes?: number;
  reason?: string;
  labels?: readonly AdLabelPart[];
  /** international: encoding, the parts as they go, and the sender the recipient sees */
  encoding?: string;
  parts?: number;
  segments?: readonly string[];
  signatureInserted?: boolean;
  sendTime: string;
  /** ordered plugin ids: primary, then fallbacks */
  route: readonly string[];
}

export interface RefusedRecipientView {
  index: number;
  to: string;
  outcome: 'BLOCKED' | 'REJECTED';
  code: string;
  field: string;
  message: string;
}

export interface DryRunView {
  dryRun: true;
  requestTime: string;
  contentType: string | null;
  countryCode: string | null;
  from: string | null;
  /** when the messages would go */
  sendTime: string | null;
  /** true when an AD send was moved out of the night window */
  deferred: boolean;
  reservation: { sendTime: string; zone: string; local: string; adjustment: string } | null;
  policy: CompliancePolicy;
  summary: ReviewResult['summary'];
  recipients: (PlannedRecipientView | RefusedRecipientView)[];
}

/** The full plan of a send, as `?dryRun=true` answers it. */
export function dryRunView(
  review: ReviewResult,
  requestTime: Date,
  reservation: ResolvedReserveTime | null,
  routeOf: (type: MessageType) => readonly string[],
): DryRunView {
  return {
    dryRun: true,
    requestTime: requestTime.toISOString(),
    contentType: review.contentType,
    countryCode: review.countryCode,
    from: review.from,
    sendTime: review.sendAt,
    deferred: review.deferred,
    reservation: reservation && {
      sendTime: reservation.instant.toISOString(),
      zone: reservation.zone,
      local: reservation.local,
      adjustment: reservation.adjustment,
    },
    policy: review.policy,
    summary: review.summary,
    recipients: review.recipients.map((r): PlannedRecipientView | RefusedRecipientView => {
      if (r.outcome === 'REJECTED') {
        return {
          index: r.index,
          to: r.to,
          outcome: r.code === 'BLOCKED' ? 'BLOCKED' : 'REJECTED',
          code: r.code,
          field: r.field,
          message: r.message,
        };
      }
      const type = plannedType(r);
      const common = {
        index: r.index,
        to: r.to,
        outcome: 'PLANNED' as const,
        type,
        number: r.number,
        e164: r.e164,
        countryCode: r.countryCode,
        content: r.content,
        sendTime: r.sendAt,
        route: routeOf(type),
      };
      if (r.channel === 'INTL') {
        return {
          ...common,
          from: r.sender.number ?? review.from,
          subject: null,
          encoding: r.encoding,
          parts: r.parts.length,
          segments: r.parts,
          signatureInserted: r.signatureInserted,
        };
      }
      return {
        ...common,
        from: r.from,
        subject: r.subject,
        bytes: r.contentBytes,
        subjectBytes: r.subjectBytes,
        reason: r.reason,
        labels: r.labels,
      };
    }),
  };
}
