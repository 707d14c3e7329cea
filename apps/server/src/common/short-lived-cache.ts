import { LRUCache } from 'lru-cache';

/** Entries kept at most, so a flood of distinct keys cannot grow the process. */
const MAX_ENTRIES = 10_000;

/**
 * Values read from the database, reused for a few seconds on the hot path (MUNJA_AUTH_CACHE_MS). A TTL of 0
 * turns it off. The TTL runs on lru-cache's monotonic clock, not the service's injectable CLOCK: it bounds how
 * stale a read may be in real time, whatever time a test pretends it is.
 */
export class ShortLivedCache<V extends object> {
  private readonly entries: LRUCache<string, V> | null;

  constructor(ttlMs: number) {
    this.entries = ttlMs > 0 ? new LRUCache<string, V>({ max: MAX_ENTRIES, ttl: ttlMs }) : null;
  }

  /** The cached value, or what `read` gives (then cached). */
  async get(key: string, read: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.entries?.get(key);
    if (cached !== undefined) return cached;
    const value = await read();
    if (value !== undefined) this.entries?.set(key, value);
    return value;
  }

  /** The cached value, if any (no read). */
  peek(key: string): V | undefined {
    return this.entries?.get(key);
  }

  forget(key: string): void {
    this.entries?.delete(key);
  }

  clear(): void {
    this.entries?.clear();
  }
}
