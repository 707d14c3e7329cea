import { createHmac, hash, randomBytes } from 'node:crypto';

/** Project keys look like `mk_live_<43 base64url chars>` (256 random bits). */
export const KEY_PREFIX = 'mk_live_';

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** A key derived from a secret, for keys that must stay the same across restarts (the demo project's). */
export function deriveApiKey(secret: string, purpose: string): string {
  return KEY_PREFIX + createHmac('sha256', secret).update(purpose).digest('base64url');
}

/**
 * SHA-256 is enough for high-entropy keys (no password stretching needed) and allows an indexed lookup. Once per
 * request (presented-key.ts): the one-shot `hash` costs a third of a `createHash` object's update and digest.
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** What listings show of a key: enough to recognise it, never enough to use it. */
export function keyDisplayPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX.length + 6);
}
