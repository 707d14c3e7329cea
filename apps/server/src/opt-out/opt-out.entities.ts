import type { OptOutService, OptOutServiceStatus } from '@munja/compliance';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

@Entity('opt_out_services')
export class OptOutServiceRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('text', { name: 'company_name' })
  companyName!: string;

  @Column('text')
  status!: OptOutServiceStatus;

  @Column('text', { name: 'number_080', nullable: true })
  number080!: string | null;

  @Column('integer')
  generation!: number;

  /** SHA-256 of the secret in the ARS stand-in's path; null until one is issued */
  @Column('text', { name: 'ars_token_hash', nullable: true })
  arsTokenHash!: string | null;

  @Column('timestamptz', { name: 'applied_at' })
  appliedAt!: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Column('timestamptz', { name: 'stopped_at', nullable: true })
  stoppedAt!: Date | null;

  @Column('timestamptz', { name: 'canceled_at', nullable: true })
  canceledAt!: Date | null;
}

export type BlockSource = 'ARS' | 'API';

@Entity('opt_out_blocklist')
export class BlockedNumberRow {
  @PrimaryColumn('uuid', { name: 'project_id' })
  projectId!: string;

  /** digits only, normalized by @munja/compliance */
  @PrimaryColumn('text')
  number!: string;

  @Column('text')
  source!: BlockSource;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

const date = (value: string | null): Date | null => (value === null ? null : new Date(value));

export function toOptOutService(row: OptOutServiceRow): OptOutService {
  return {
    status: row.status,
    companyName: row.companyName,
    number080: row.number080,
    generation: row.generation,
    appliedAt: row.appliedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    canceledAt: row.canceledAt?.toISOString() ?? null,
  };
}

export function applyOptOutServiceState(row: OptOutServiceRow, next: OptOutService): OptOutServiceRow {
  row.status = next.status;
  row.companyName = next.companyName;
  row.number080 = next.number080;
  row.generation = next.generation;
  row.appliedAt = new Date(next.appliedAt);
  row.completedAt = date(next.completedAt);
  row.stoppedAt = date(next.stoppedAt);
  row.canceledAt = date(next.canceledAt);
  return row;
}
