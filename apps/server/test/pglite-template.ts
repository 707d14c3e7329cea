import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  return new Blob([readFileSync(await pgliteTemplateFile())]);
}

/**
 * The template's file (a tarball of the data folder), made first if needed: for child processes
 * (MUNJA_TEST_PGLITE_TEMPLATE, test/main-child.cjs) and for data folders unpacked from it.
 */
export async function pgliteTemplateFile(): Promise<string> {
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
  return file;
}

/**
 * A PGlite data folder holding the migrated template, as a folder that has been started before: for tests of
 * restarts and of the folder lock, which need a data folder but not a first start's initdb (seconds of CPU and
 * several hundred MB; readme-commands.e2e.spec.ts starts `npm start` on an empty folder).
 */
export async function unpackPgliteTemplate(dataDir: string): Promise<void> {
  const file = await pgliteTemplateFile();
  mkdirSync(dataDir, { recursive: true });
  const untar = spawnSync('tar', ['-xf', file, '-C', dataDir], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar -xf ${file}: ${untar.stderr}`);
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
