import type { ReservationStatus } from '@munja/scheduling';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A send held until its time (states per @munja/scheduling's reservation state machine). */
@Entity('reservations')
export class ReservationRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('uuid', { name: 'request_id' })
  requestId!: string;

  @Column('timestamptz', { name: 'send_at' })
  sendAt!: Date;

  @Column('text')
  status!: ReservationStatus;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('uuid', { name: 'schedule_id', nullable: true })
  scheduleId!: string | null;

  /** set for a schedule's occurrence, so each occurrence makes one reservation however many processes run */
  @Column('text', { name: 'occurrence_key', nullable: true, unique: true })
  occurrenceKey!: string | null;
}
