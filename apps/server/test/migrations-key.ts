import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATIONS_DIR = join(__dirname, '../src/database/migrations');

/**
 * 16 hex characters naming the migrations' sources: a prepared (migrated) template database is reused only
 * while no migration changed, so a changed or added migration gets a template of its own.
 */
export function migrationsKey(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
    hash.update(name).update(readFileSync(join(MIGRATIONS_DIR, name)));
  }
  return hash.digest('hex').slice(0, 16);
}
