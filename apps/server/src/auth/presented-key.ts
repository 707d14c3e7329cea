import { hashApiKey } from './api-key-secret';

/** The key a request presents (`Authorization: Bearer <key>`) and its SHA-256, by which it is looked up. */
export interface PresentedKey {
  readonly key: string;
  readonly hash: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** Read once per request: the rate limiter counts against the hash and the guard looks it up. */
const read = new WeakMap<object, PresentedKey | null>();

export function presentedKey(request: {
  headers: Record<string, string | string[] | undefined>;
}): PresentedKey | undefined {
  let found = read.get(request);
  if (found === undefined) {
    const header = request.headers.authorization;
    const key = (Array.isArray(header) ? header[0] : header)?.match(BEARER)?.[1];
    found = key ? { key, hash: hashApiKey(key) } : null;
    read.set(request, found);
  }
  return found ?? undefined;
}
