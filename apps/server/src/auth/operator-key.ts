import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const OPERATOR_KEY = Symbol('OPERATOR_KEY');

/**
 * The operator key: from MUNJA_OPERATOR_KEY; otherwise (embedded database only) generated once and kept
 * next to the data folder, so it stays the same across restarts; in memory, a fresh one per run.
 */
export function resolveOperatorKey(configured: string | undefined, pgliteDir: string | undefined): string {
  if (configured) return configured;
  const generated = 'mk_op_' + randomBytes(32).toString('base64url');
  if (!pgliteDir) return generated;
  const file = join(dirname(pgliteDir), 'operator.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, generated + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return generated;
}
