import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An uploaded MMS image. Plugins that need a vendor-side copy keep their vendor file ids elsewhere. */
@Entity('files')
export class FileRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'project_id' })
  projectId!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'content_type' })
  contentType!: string;

  @Column('integer', { name: 'size_bytes' })
  sizeBytes!: number;

  @Column('integer')
  width!: number;

  @Column('integer')
  height!: number;

  /** the image itself; not loaded unless asked for */
  @Column('bytea', { select: false })
  body!: Buffer;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;
}
