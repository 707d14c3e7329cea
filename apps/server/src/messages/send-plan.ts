import type { PlannedMessage, RejectedRecipient, ReviewResult } from '@munja/compliance';
import type { BulkColumn } from './bulk-insert';
import { STATUS_OF_STATE } from '../lifecycle/message-states';
import type { MessageState, MessageStatus, MessageType } from './message.entity';

/** The message columns the send path writes, in the order `messageRow` gives them. */
export const MESSAGE_COLUMNS: readonly BulkColumn[] = [
  { name: 'project_id', type: 'uuid' },
  { name: 'request_id', type: 'uuid' },
  { name: 'request_time', type: 'timestamptz' },
  { name: 'recipient_index', type: 'int' },
  { name: 'to_number', type: 'text' },
  { name: 'country_code', type: 'text' },
  { name: 'from_number', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'content_type', type: 'text' },
  { name: 'subject', type: 'text' },
  { name: 'content', type: 'text' },
  { name: 'bytes', type: 'int' },
  { name: 'parts', type: 'int' },
  { name: 'encoding', type: 'text' },
  { name: 'file_ids', type: 'uuid[]' },
  { name: 'status', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'due_at', type: 'timestamptz' },
  { name: 'reservation_id', type: 'uuid' },
  { name: 'route', type: 'text[]' },
  { name: 'status_name', type: 'text' },
  { name: 'status_code', type: 'text' },
  { name: 'status_message', type: 'text' },
  { name: 'complete_time', type: 'timestamptz' },
  { name: 'updated_at', type: 'timestamptz' },
];

/** The recipient fields of the request, for rows of rejected recipients (they keep what was asked). */
export interface RequestedText {
  readonly type?: 'SMS' | 'LMS' | 'MMS';
  readonly subject?: string;
  readonly content: string;
  readonly messages: readonly { readonly subject?: string; readonly content?: string }[];
}

export interface RowContext {
  readonly projectId: string;
  readonly requestId: string;
  readonly requestTime: Date;
  readonly review: ReviewResult;
  readonly request: RequestedText;
  readonly fileIds: readonly string[];
  /** set when the send waits for a reservation */
  readonly reservationId: string | null;
  /** the ordered plugins for a planned type */
  readonly routeOf: (type: MessageType) => readonly string[];
  /** the recipient index of `request.messages[0]` (a bulk send reviews its rows in chunks); default 0 */
  readonly firstIndex?: number;
}

export function plannedType(message: PlannedMessage): MessageType {
  return message.channel;
}

/** A rejected recipient keeps the type it would most likely have had, so history filters find it. */
function rejectedType(context: RowContext): MessageType {
  if (context.review.countryCode !== null && context.review.countryCode !== '82') return 'INTL';
  if (context.request.type) return context.request.type;
  const planned = context.review.recipients.find((r) => r.outcome === 'PLANNED');
  if (planned) return plannedType(planned);
  return context.fileIds.length > 0 ? 'MMS' : 'SMS';
}

function plannedRow(context: RowContext, message: PlannedMessage): unknown[] {
  const reserved = context.reservationId !== null;
  const state: MessageState = reserved ? 'RESERVED' : 'QUEUED';
  const status: MessageStatus = STATUS_OF_STATE[state];
  const type = plannedType(message);
  const domestic = message.channel !== 'INTL';
  return [
    context.projectId,
    context.requestId,
    context.requestTime,
    (context.firstIndex ?? 0) + message.index,
    message.number,
    message.countryCode,
    message.channel === 'INTL' ? (message.sender.number ?? context.review.from) : message.from,
    type,
    message.contentType,
    message.channel === 'INTL' ? null : message.subject,
    message.content,
    domestic ? message.contentBytes : null,
    message.channel === 'INTL' ? message.parts.length : null,
    message.channel === 'INTL' ? message.encoding : null,
    type === 'MMS' ? context.fileIds : [],
    status,
    state,
    new Date(message.sendAt),
    context.reservationId,
    context.routeOf(type),
    null,
    null,
    null,
    null,
    context.requestTime,
  ];
}

function rejectedRow(context: RowContext, recipient: RejectedRecipient): unknown[] {
  const asked = context.request.messages[recipient.index];
  const state: MessageState = recipient.code === 'BLOCKED' ? 'BLOCKED' : 'REJECTED';
  return [
    context.projectId,
    context.requestId,
    context.requestTime,
    (context.firstIndex ?? 0) + recipient.index,
    recipient.to,
    context.review.countryCode ?? '82',
    context.review.from ?? '',
    rejectedType(context),
    context.review.contentType ?? 'COMM',
    asked?.subject || context.request.subject || null,
    asked?.content || context.request.content,
    null,
    null,
    null,
    [],
    STATUS_OF_STATE[state],
    state,
    context.requestTime,
    null,
    [],
    'fail',
    recipient.code,
    recipient.message,
    context.requestTime,
    context.requestTime,
  ];
}

/** One row per recipient, in request order: planned ones wait (QUEUED/RESERVED), refused ones are closed. */
export function messageRows(context: RowContext): unknown[][] {
  return context.review.recipients.map((recipient) =>
    recipient.outcome === 'PLANNED' ? plannedRow(context, recipient) : rejectedRow(context, recipient),
  );
}

/** A refused recipient as the 202 answer and the dry run list it. */
export interface RejectedView {
  index: number;
  to: string;
  code: string;
  field: string;
  message: string;
}

export function rejectedViews(review: ReviewResult): RejectedView[] {
  return review.recipients
    .filter((r): r is RejectedRecipient => r.outcome === 'REJECTED')
    .map((r) => ({ index: r.index, to: r.to, code: r.code, field: r.field, message: r.message }));
}
