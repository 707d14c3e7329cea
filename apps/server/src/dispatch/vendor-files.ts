import type { Provider } from '@munja/provider-kit';
import type { DataSource } from 'typeorm';
import { sql } from './sql';

interface VendorFile {
  readonly vendorFileId: string;
  /** when the vendor forgets it (ms on the injected clock), if it said */
  readonly expiresAt: number | undefined;
}

/** A file of a message cannot be sent (gone from our store, or expired). */
export class MissingFileError extends Error {
  override readonly name = 'MissingFileError';
}

/** Re-upload this long before the vendor's own expiry, so a file never expires between upload and send. */
const EXPIRY_MARGIN_MS = 10 * 60_000;
const MAX_CACHED = 10_000;

/**
 * MMS images are uploaded to each plugin once and the vendor's file id reused for every message that
 * carries the image (a 1,000-recipient MMS is one upload, not 1,000). Kept in memory: a restart uploads again.
 */
export class VendorFiles {
  private readonly cache = new Map<string, VendorFile>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(private readonly db: DataSource) {}

  /** The vendor file ids for our file ids, uploading what this plugin does not hold yet. */
  async resolve(
    pluginId: string,
    provider: Provider,
    fileIds: readonly string[],
    now: Date,
  ): Promise<string[]> {
    return Promise.all(fileIds.map((fileId) => this.one(pluginId, provider, fileId, now)));
  }

  private one(pluginId: string, provider: Provider, fileId: string, now: Date): Promise<string> {
    const key = `${pluginId}:${fileId}`;
    const cached = this.cache.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > now.getTime()))
      return Promise.resolve(cached.vendorFileId);
    const running = this.inFlight.get(key);
    if (running) return running;
    const upload = this.upload(provider, fileId, now)
      .then((file) => {
        if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
        this.cache.set(key, file);
        return file.vendorFileId;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, upload);
    return upload;
  }

  private async upload(provider: Provider, fileId: string, now: Date): Promise<VendorFile> {
    if (!provider.uploadFile) throw new MissingFileError(`plugin ${provider.pluginId} cannot take files`);
    const { rows } = await sql<{ name: string; content_type: string; body: Buffer; expires_at: Date }>(
      this.db,
      `SELECT name, content_type, body, expires_at FROM files WHERE id = $1`,
      [fileId],
    );
    const row = rows[0];
    if (!row) throw new MissingFileError(`file ${fileId} is gone`);
    if (row.expires_at.getTime() <= now.getTime()) throw new MissingFileError(`file ${fileId} expired`);
    const uploaded = await provider.uploadFile({
      name: row.name,
      contentType: row.content_type,
      data: row.body,
    });
    return { vendorFileId: uploaded.fileId, expiresAt: uploaded.expiresAt?.getTime() };
  }
}
