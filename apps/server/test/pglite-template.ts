import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { IN_MEMORY, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { MIGRATIONS } from '../src/database/migrations';
import { migrationsKey } from './migrations-key';

/**
 * A migrated, empty PGlite database as a dump, shared by the e2e files through a file in the temp folder
 * named after the migrations' sources (a changed migration makes a new one). Each test app then starts
 * from a copy instead of running initdb and every migration again, which costs seconds per file.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `munja-pglite-template-${migrationsKey()}.tar`);
  if (!existsSync(file)) {
    const embedded = await startEmbeddedPostgres({ dataDir: IN_MEMORY, maxConnections: 2 });
    try {
      const dataSource = new DataSource({
        type: 'postgres',
        url: embedded.url,
        migrations: MIGRATIONS,
        migrationsTransactionMode: 'each',
      });
      await dataSource.initialize();
      try {
        await dataSource.runMigrations();
      } finally {
        await dataSource.destroy();
      }
      const dump = Buffer.from(await (await embedded.dump()).arrayBuffer());
      // Written aside and renamed, so a file running at the same time never reads half a template.
      const partial = `${file}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, dump);
      renameSync(partial, file);
      removeStaleTemplates(file);
    } finally {
      await embedded.stop();
    }
  }
  return new Blob([readFileSync(file)]);
}

/** Templates of earlier migrations (40 MB each) go once they are an hour old: no running file still reads them. */
function removeStaleTemplates(current: string): void {
  const folder = tmpdir();
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (!name.startsWith('munja-pglite-template-') || path === current) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > 3600_000) rmSync(path, { force: true });
    } catch {
      // another file removed it first
    }
  }
}
