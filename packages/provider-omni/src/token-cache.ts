/** An OMNI access token and when it stops working. */
export interface AccessToken {
  readonly value: string;
  /** `Authorization` scheme from the token response (`Bearer`) */
  readonly schema: string;
  /** ms since epoch */
  readonly expiresAt: number;
  /** ms since epoch, by our clock, when we received it */
  readonly issuedAt: number;
}

/**
 * Holds one token for the whole provider: reused until shortly before it expires, refreshed by exactly one
 * token call however many requests need it at the same moment, and dropped when the vendor says it expired
 * (A001) — only if it is still the token that request used, so a burst of A001s refreshes once.
 */
export class TokenCache {
  private current: AccessToken | undefined;
  private refreshing: Promise<AccessToken> | undefined;
  /** token calls made (for tests and health detail) */
  issued = 0;

  constructor(
    private readonly issue: () => Promise<Omit<AccessToken, 'issuedAt'>>,
    private readonly now: () => number,
    private readonly refreshMarginMs: number,
  ) {}

  /** a token good for now, from the cache or from one shared refresh */
  async get(): Promise<AccessToken> {
    const token = this.current;
    if (token !== undefined && this.now() < this.refreshAt(token)) return token;
    return this.refresh();
  }

  /** forget `token` if it is still the cached one (the vendor answered A001 to it) */
  invalidate(token: AccessToken): void {
    if (this.current === token) this.current = undefined;
  }

  /** the cached token, without refreshing */
  peek(): AccessToken | undefined {
    return this.current;
  }

  /** when to stop using a token: the margin before expiry, but never more than a tenth of its lifetime */
  private refreshAt(token: AccessToken): number {
    const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
    return token.expiresAt - Math.min(this.refreshMarginMs, Math.floor(lifetime / 10));
  }

  private refresh(): Promise<AccessToken> {
    if (this.refreshing !== undefined) return this.refreshing;
    const started = this.now();
    this.issued += 1;
    const pending = this.issue().then(
      (issued) => {
        const token: AccessToken = { ...issued, issuedAt: started };
        this.current = token;
        this.refreshing = undefined;
        return token;
      },
      (error: unknown) => {
        this.current = undefined;
        this.refreshing = undefined;
        throw error;
      },
    );
    this.refreshing = pending;
    return pending;
  }
}
