import type { CallingNumber, CallingNumberStatus, VerificationMethod } from '@munja/compliance';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('calling_numbers')
export class CallingNumberRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  /** digits only, as @munja/compliance normalizes it */
  @Column('text')
  number!: string;

  @Column('text')
  method!: VerificationMethod;

  @Column('text')
  status!: CallingNumberStatus;

  @Column('text', { name: 'reject_reason', nullable: true })
  rejectReason!: string | null;

  @Column('timestamptz', { name: 'requested_at' })
  requestedAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

/** The row as the pure state machine sees it. */
export function toCallingNumber(row: CallingNumberRow): CallingNumber {
  return {
    number: row.number,
    method: row.method,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    rejectReason: row.rejectReason,
  };
}

/** Copies the state machine's answer onto the row. */
export function applyCallingNumber(row: CallingNumberRow, next: CallingNumber): CallingNumberRow {
  row.number = next.number;
  row.method = next.method;
  row.status = next.status;
  row.rejectReason = next.rejectReason;
  row.requestedAt = new Date(next.requestedAt);
  row.updatedAt = new Date(next.updatedAt);
  return row;
}
