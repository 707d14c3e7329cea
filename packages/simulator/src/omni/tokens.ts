import { randomBytes } from 'node:crypto';
import { TOKEN_LIFETIME_MS } from './wire';

export interface OmniCredentials {
  readonly clientId: string;
  readonly password: string;
}

export type TokenCheck = 'valid' | 'expired' | 'unknown';

/**
 * OMNI's token issue: unlimited issuance, every issued token stays valid until its own expiry
 * [IB-gitbook auth]. Tokens are random (not from the seeded generator) so that issuing one never shifts the
 * seeded delivery outcomes.
 */
export class TokenStore {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    public credentials: OmniCredentials,
    public lifetimeMs: number = TOKEN_LIFETIME_MS,
  ) {}

  /** a new token expiring `lifetimeMs` after `nowMs`, or undefined when the credentials do not match */
  issue(clientId: string | undefined, password: string | undefined, nowMs: number) {
    if (clientId !== this.credentials.clientId || password !== this.credentials.password) return undefined;
    const token = randomBytes(24).toString('base64url');
    const expiresAt = nowMs + this.lifetimeMs;
    this.tokens.set(token, expiresAt);
    this.issued += 1;
    return { token, expiresAt };
  }

  /** checks an `Authorization: Bearer <token>` header */
  check(authorization: string | undefined, nowMs: number): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const expiresAt = match?.[1] === undefined ? undefined : this.tokens.get(match[1]);
    if (expiresAt === undefined) return 'unknown';
    return nowMs < expiresAt ? 'valid' : 'expired';
  }

  /** forget every issued token (a test rotating the account's password) */
  revokeAll(): void {
    this.tokens.clear();
  }
}
