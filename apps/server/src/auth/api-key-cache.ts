import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ConfigService } from '@nestjs/config';
import { ShortLivedCache } from '../common/short-lived-cache';
import type { Environment } from '../config/environment';
import type { ProjectPrincipal } from './principal';

/**
 * The project an API key belongs to, by the key's hash, kept for MUNJA_AUTH_CACHE_MS so that a busy key costs
 * no database read per request. A revocation in this process empties it at once; the send path re-checks the
 * key in the statement that stores a send, so a key revoked by another process stops sending at once too.
 */
@Injectable()
export class ApiKeyCache {
  private readonly keys: ShortLivedCache<ProjectPrincipal>;
  /**
   * Hashes of keys found unknown, for MUNJA_UNKNOWN_KEY_CACHE_MS: a client retrying a wrong key (or guessing)
   * does not reach the database each time. Bounded, so a flood of distinct keys only cycles it.
   */
  private readonly unknown: LRUCache<string, true> | null;

  constructor(config: ConfigService<Environment, true>) {
    this.keys = new ShortLivedCache(config.get('MUNJA_AUTH_CACHE_MS', { infer: true }));
    const unknownMs = config.get('MUNJA_UNKNOWN_KEY_CACHE_MS', { infer: true });
    this.unknown = unknownMs > 0 ? new LRUCache({ max: 10_000, ttl: unknownMs }) : null;
  }

  async lookup(
    keyHash: string,
    read: () => Promise<ProjectPrincipal | undefined>,
  ): Promise<ProjectPrincipal | undefined> {
    if (this.unknown?.has(keyHash)) return undefined;
    const found = await this.keys.get(keyHash, read);
    if (!found) this.unknown?.set(keyHash, true);
    return found;
  }

  /** The project of a key read recently, without reading it. */
  known(keyHash: string): ProjectPrincipal | undefined {
    return this.keys.peek(keyHash);
  }

  /** A key was issued in this process: it is no longer unknown. */
  created(keyHash: string): void {
    this.unknown?.delete(keyHash);
  }

  /** A key was revoked: forget them all (revocations are rare; the revoked key's hash is not at hand). */
  revoked(): void {
    this.keys.clear();
  }
}
