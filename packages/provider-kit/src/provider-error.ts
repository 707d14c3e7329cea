/**
 * What a plugin throws when a whole vendor call fails. The server decides from `kind` alone what to do:
 * AUTHENTICATION — credentials are wrong or expired beyond recovery: stop using the plugin, alert;
 * RATE_LIMITED — slow down, retry after `retryAfterMs`;
 * TRANSIENT — network, 5xx, timeout: retry with backoff or fail over to the next plugin;
 * PERMANENT — the request itself is bad (bad number, bad field): do not retry.
 */
export type ProviderErrorKind = 'AUTHENTICATION' | 'RATE_LIMITED' | 'TRANSIENT' | 'PERMANENT';

export class ProviderError extends Error {
  override readonly name: string = 'ProviderError';

  constructor(
    readonly kind: ProviderErrorKind,
    /** the vendor's code (HTTP status, OMNI Axxx) or a network error code */
    readonly vendorCode: string,
    message: string,
    readonly options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get retryable(): boolean {
    return this.kind === 'RATE_LIMITED' || this.kind === 'TRANSIENT';
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

export class AuthenticationError extends ProviderError {
  override readonly name = 'AuthenticationError';
  constructor(vendorCode: string, message: string, cause?: unknown) {
    super('AUTHENTICATION', vendorCode, message, { cause });
  }
}

export class RateLimitedError extends ProviderError {
  override readonly name = 'RateLimitedError';
  constructor(vendorCode: string, message: string, retryAfterMs: number, cause?: unknown) {
    super('RATE_LIMITED', vendorCode, message, { retryAfterMs, cause });
  }
}

export class TransientError extends ProviderError {
  override readonly name = 'TransientError';
  constructor(vendorCode: string, message: string, cause?: unknown) {
    super('TRANSIENT', vendorCode, message, { cause });
  }
}

export class PermanentError extends ProviderError {
  override readonly name = 'PermanentError';
  constructor(vendorCode: string, message: string, cause?: unknown) {
    super('PERMANENT', vendorCode, message, { cause });
  }
}

/** A plugin's configuration is wrong: names the plugin and the field. Never carries secret values. */
export class PluginConfigError extends Error {
  override readonly name = 'PluginConfigError';
  constructor(
    readonly pluginId: string,
    readonly field: string,
    reason: string,
  ) {
    super(`plugin ${pluginId}: config field "${field}" ${reason}`);
  }
}
