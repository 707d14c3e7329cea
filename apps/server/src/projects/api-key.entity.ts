import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An API key of a project. Only the key's SHA-256 is stored; `prefix` lets people tell keys apart. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  prefix!: string;

  @Column('text', { name: 'key_hash' })
  keyHash!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
