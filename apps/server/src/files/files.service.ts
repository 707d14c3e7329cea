import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { PROFILES } from '@munja/rules';
import type { LimitProfile } from '@munja/rules';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { Environment } from '../config/environment';
import { FileRow } from './file.entity';
import { FileView } from './files.dto';
import { checkMmsImage } from './mms-image-check';

/**
 * The limit profile uploads are checked against. SENS's until the plugins module provides the route's
 * (the strictest domestic MMS profile among the configured plugins).
 */
export const MMS_UPLOAD_PROFILE = Symbol('MMS_UPLOAD_PROFILE');
export const DEFAULT_MMS_UPLOAD_PROFILE: LimitProfile = PROFILES.SENS;

export function fileView(row: FileRow): FileView {
  return {
    fileId: row.id,
    name: row.name,
    contentType: row.contentType,
    size: row.sizeBytes,
    width: row.width,
    height: row.height,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

@Injectable()
export class FilesService {
  private readonly ttlMs: number;

  constructor(
    @InjectRepository(FileRow) private readonly files: Repository<FileRow>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MMS_UPLOAD_PROFILE) private readonly profile: LimitProfile,
    config: ConfigService<Environment, true>,
  ) {
    this.ttlMs = config.get('MUNJA_FILE_TTL_HOURS', { infer: true }) * 3600_000;
  }

  async upload(projectId: string, file: { name: string; bytes: Buffer }): Promise<FileRow> {
    const checked = checkMmsImage(file, this.profile);
    const now = this.clock.now();
    const saved = await this.files.save(
      this.files.create({
        projectId,
        name: file.name,
        contentType: checked.contentType,
        sizeBytes: file.bytes.length,
        width: checked.width,
        height: checked.height,
        body: file.bytes,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlMs),
      }),
    );
    return saved;
  }

  async get(projectId: string, fileId: string): Promise<FileRow> {
    const row = await this.files.findOne({ where: { projectId, id: fileId } });
    if (!row) throw ApiError.notFound('File', 'fileId');
    return row;
  }

  /**
   * For the send path: the project's file with its bytes, refused when unknown (404-like FILE_NOT_FOUND) or
   * expired (FILE_EXPIRED), both on `field`.
   */
  async usable(projectId: string, fileId: string, field = 'files'): Promise<FileRow & { body: Buffer }> {
    const row = await this.files
      .createQueryBuilder('file')
      .addSelect('file.body')
      .where('file.project_id = :projectId AND file.id = :fileId', { projectId, fileId })
      .getOne();
    if (!row) throw ApiError.unprocessable('FILE_NOT_FOUND', `File ${fileId} does not exist`, field);
    if (row.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw ApiError.unprocessable(
        'FILE_EXPIRED',
        `File ${fileId} expired at ${row.expiresAt.toISOString()}`,
        field,
      );
    }
    return row;
  }
}
