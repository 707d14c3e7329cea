import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One accepted `POST /v1/messages` (or a schedule occurrence): the request as given, and its first answer. */
@Entity('send_requests')
export class SendRequestRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('timestamptz', { name: 'request_time' })
  requestTime!: Date;

  @Column('text', { name: 'content_type', nullable: true })
  contentType!: string | null;

  /** the type the caller asked for; null = chosen automatically per recipient */
  @Column('text', { name: 'requested_type', nullable: true })
  requestedType!: string | null;

  @Column('text', { name: 'country_code', nullable: true })
  countryCode!: string | null;

  @Column('text', { name: 'from_number', nullable: true })
  fromNumber!: string | null;

  @Column('text', { nullable: true })
  subject!: string | null;

  @Column('text', { nullable: true })
  content!: string | null;

  @Column('uuid', { name: 'file_ids', array: true, default: () => `'{}'` })
  fileIds!: string[];

  @Column('timestamptz', { name: 'reserve_time', nullable: true })
  reserveTime!: Date | null;

  @Column('text', { name: 'reserve_time_zone', nullable: true })
  reserveTimeZone!: string | null;

  @Column('uuid', { name: 'reservation_id', nullable: true })
  reservationId!: string | null;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey!: string | null;

  /** a hash of the request body, to tell a replay from a reuse of the key */
  @Column('text', { name: 'idempotency_fingerprint', nullable: true })
  idempotencyFingerprint!: string | null;

  /** the first answer's body, replayed for the same Idempotency-Key */
  @Column('jsonb', { nullable: true })
  response!: unknown;

  @Column('integer', { name: 'accepted_count', nullable: true })
  acceptedCount!: number | null;

  @Column('integer', { name: 'rejected_count', nullable: true })
  rejectedCount!: number | null;

  /** 'api' or 'schedule' */
  @Column('text', { default: 'api' })
  source!: string;
}
