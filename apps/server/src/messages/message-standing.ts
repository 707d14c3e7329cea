import type { MessageView } from './results.dto';
import type { MessageRow } from './message.entity';

/** The fields of a message that say what it is and where it stands: no text, no files. */
export type MessageStandingRow = Pick<
  MessageRow,
  | 'id'
  | 'requestId'
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
  | 'reservationId'
> & {
  requestTime: ViewTime;
  completeTime: ViewTime | null;
  dueAt: ViewTime;
};

export type MessageStanding = Omit<
  MessageView,
  'subject' | 'content' | 'bytes' | 'parts' | 'encoding' | 'files'
>;

/**
 * A time of a message row: a Date, or already the API's ISO text (`2026-12-07T07:44:38.123Z`), as the history reads
 * it (PostgreSQL formats it: results.service.ts, ISO_TIME).
 */
export type ViewTime = Date | string;

const isoTime = (time: ViewTime): string => (typeof time === 'string' ? time : time.toISOString());

/**
 * The part of the view a change of state can move, with what identifies the message: the API's view is this plus
 * the text and files, and a webhook event's data is this plus the plugin (webhooks/webhook-events.ts), from the same function.
 */
export function messageStanding(row: MessageStandingRow): MessageStanding {
  return {
    messageId: row.id,
    requestId: row.requestId,
    requestTime: isoTime(row.requestTime),
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
    completeTime: row.completeTime === null ? null : isoTime(row.completeTime),
    sendTime: isoTime(row.dueAt),
    reservationId: row.reservationId,
  };
}
