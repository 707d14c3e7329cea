import { Column, Entity, PrimaryColumn } from 'typeorm';

export type MessageType = 'SMS' | 'LMS' | 'MMS' | 'INTL';

export { STATUS_OF_STATE, type MessageState, type MessageStatus } from '../lifecycle/message-states';
import type { MessageState, MessageStatus } from '../lifecycle/message-states';

/**
 * One recipient of a send request, as history reads it (read-only here: src/lifecycle writes every row). The key
 * is (id, request_time): the table is partitioned by request_time. What is still to send is in message_queue,
 * what awaits a report in awaiting_reports.
 */
@Entity('messages')
export class MessageRow {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @PrimaryColumn('timestamptz', { name: 'request_time' })
  requestTime!: Date;

  /** position in the request's `messages` */
  @Column('integer', { name: 'recipient_index' })
  recipientIndex!: number;

  /** domestic digits, or the national number for INTL (as given when the number was rejected) */
  @Column('text', { name: 'to_number' })
  toNumber!: string;

  @Column('text', { name: 'country_code' })
  countryCode!: string;

  /** the sender that goes to the vendor */
  @Column('text', { name: 'from_number' })
  fromNumber!: string;

  @Column('text')
  type!: MessageType;

  @Column('text', { name: 'content_type' })
  contentType!: 'COMM' | 'AD';

  @Column('text', { nullable: true })
  subject!: string | null;

  /** the final text, labels and signatures included */
  @Column('text')
  content!: string;

  @Column('integer', { nullable: true })
  bytes!: number | null;

  @Column('integer', { nullable: true })
  parts!: number | null;

  @Column('text', { nullable: true })
  encoding!: 'GSM7' | 'UCS2' | null;

  @Column('uuid', { name: 'file_ids', array: true, default: () => `'{}'` })
  fileIds!: string[];

  @Column('text')
  status!: MessageStatus;

  @Column('text')
  state!: MessageState;

  /** the earliest time it may be sent */
  @Column('timestamptz', { name: 'due_at' })
  dueAt!: Date;

  @Column('uuid', { name: 'reservation_id', nullable: true })
  reservationId!: string | null;

  /** ordered plugin ids: primary, then fallbacks */
  @Column('text', { array: true })
  route!: string[];

  @Column('integer', { name: 'route_index', default: 0 })
  routeIndex!: number;

  @Column('text', { name: 'plugin_id', nullable: true })
  pluginId!: string | null;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column('text', { name: 'vendor_message_id', nullable: true })
  vendorMessageId!: string | null;

  @Column('text', { name: 'vendor_request_id', nullable: true })
  vendorRequestId!: string | null;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column('text', { name: 'status_name', nullable: true })
  statusName!: 'success' | 'fail' | null;

  @Column('text', { name: 'status_code', nullable: true })
  statusCode!: string | null;

  @Column('text', { name: 'status_message', nullable: true })
  statusMessage!: string | null;

  @Column('text', { name: 'telco_code', nullable: true })
  telcoCode!: string | null;

  @Column('timestamptz', { name: 'complete_time', nullable: true })
  completeTime!: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
