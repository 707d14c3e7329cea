import type { MessageView } from './results.dto';
import type { MessageRow } from './message.entity';

/** The fields of a message that say what it is and where it stands: no text, no files. */
export type MessageStandingRow = Pick<
  MessageRow,
  | 'id'
  | 'requestId'
  | 'requestTime'
  | 'type'
  | 'contentType'
  | 'countryCode'
  | 'fromNumber'
  | 'toNumber'
  | 'status'
  | 'state'
  | 'statusName'
  | 'statusCode'
  | 'statusMessage'
  | 'telcoCode'
  | 'completeTime'
  | 'dueAt'
  | 'reservationId'
>;

export type MessageStanding = Omit<
  MessageView,
  'subject' | 'content' | 'bytes' | 'parts' | 'encoding' | 'files'
>;

/**
 * The part of the view a change of state can move, with what identifies the message: the API's view is this plus
 * the text and files, and a webhook event's data is this plus the plugin (webhooks/webhook-events.ts), from the same function.
 */
export function messageStanding(row: MessageStandingRow): MessageStanding {
  return {
    messageId: row.id,
    requestId: row.requestId,
    requestTime: row.requestTime.toISOString(),
    type: row.type,
    contentType: row.contentType,
    countryCode: row.countryCode,
    from: row.fromNumber,
    to: row.toNumber,
    status: row.status,
    state: row.state,
    statusName: row.statusName,
    statusCode: row.statusCode,
    statusMessage: row.statusMessage,
    telcoCode: row.telcoCode,
    completeTime: row.completeTime === null ? null : row.completeTime.toISOString(),
    sendTime: row.dueAt.toISOString(),
    reservationId: row.reservationId,
  };
}
