import { Injectable } from '@nestjs/common';
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

  constructor(config: ConfigService<Environment, true>) {
    this.keys = new ShortLivedCache(config.get('MUNJA_AUTH_CACHE_MS', { infer: true }));
  }

  lookup(
    keyHash: string,
    read: () => Promise<ProjectPrincipal | undefined>,
  ): Promise<ProjectPrincipal | undefined> {
    return this.keys.get(keyHash, read);
  }

  /** A key was revoked: forget them all (revocations are rare; the revoked key's hash is not at hand). */
  revoked(): void {
    this.keys.clear();
  }
}
