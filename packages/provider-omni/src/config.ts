import { PluginConfigError } from '@munja/provider-kit';
import { DEFAULT_RATE_LIMIT_BACKOFF_MS } from './unconfirmed';
import { OMNI_BASE_URL } from './wire';

export const PLUGIN_ID = 'omni';

/** Where delivery reports come from: the server runs a poller, takes webhooks, or both. */
export type ReportMode = 'polling' | 'webhook' | 'both';

export interface OmniConfig {
  /** OMNI API id (X-IB-Client-Id) */
  readonly clientId: string;
  /** OMNI API password (X-IB-Client-Passwd); a secret, never logged or echoed */
  readonly password: string;
  /** default https://omni.ibapi.kr; the simulator's URL in tests */
  readonly baseUrl: string;
  /** keep-alive connections to the vendor */
  readonly connections: number;
  /** requests in flight at once within one send() (OMNI takes one recipient per request) */
  readonly sendConcurrency: number;
  /** per-request timeout (headers and body), ms; at least 1 s, since undici's timers tick about once a second */
  readonly requestTimeoutMs: number;
  /** refresh the token this long before it expires (at most a tenth of its lifetime), ms */
  readonly tokenRefreshMarginMs: number;
  /** retry-after hint on A020 when the vendor sends no Retry-After, ms */
  readonly rateLimitBackoffMs: number;
  /**
   * polling, webhook, or both (the default: a webhook URL registered at Infobank then works without a config
   * change, and polling an empty queue costs one GET per tick)
   */
  readonly reports: ReportMode;
}

export const CONFIG_DEFAULTS = {
  baseUrl: OMNI_BASE_URL,
  connections: 32,
  sendConcurrency: 32,
  requestTimeoutMs: 10_000,
  tokenRefreshMarginMs: 5 * 60_000,
  rateLimitBackoffMs: DEFAULT_RATE_LIMIT_BACKOFF_MS,
  reports: 'both',
} as const satisfies Partial<OmniConfig>;

const KNOWN_FIELDS = new Set<string>([
  'clientId',
  'password',
  'baseUrl',
  'connections',
  'sendConcurrency',
  'requestTimeoutMs',
  'tokenRefreshMarginMs',
  'rateLimitBackoffMs',
  'reports',
]);

const fail = (field: string, reason: string): never => {
  throw new PluginConfigError(PLUGIN_ID, field, reason);
};

function credential(raw: Record<string, unknown>, field: 'clientId' | 'password'): string {
  const value = raw[field];
  if (value === undefined || value === null) return fail(field, 'is required');
  if (typeof value !== 'string') return fail(field, 'must be a string');
  if (value.trim() === '') return fail(field, 'must not be empty');
  // header values: a control character would be refused by the HTTP client later, with the value in its error
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fail(field, 'must not contain control characters');
  return value;
}

function integer(
  raw: Record<string, unknown>,
  field: keyof typeof CONFIG_DEFAULTS,
  min: number,
  max: number,
): number {
  const value = raw[field];
  if (value === undefined) return CONFIG_DEFAULTS[field] as number;
  if (typeof value !== 'number' || !Number.isInteger(value)) return fail(field, 'must be an integer');
  if (value < min || value > max) return fail(field, `must be between ${min} and ${max}`);
  return value;
}

function baseUrl(raw: Record<string, unknown>): string {
  const value = raw.baseUrl;
  if (value === undefined) return CONFIG_DEFAULTS.baseUrl;
  if (typeof value !== 'string') return fail('baseUrl', 'must be a string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // the value itself is not repeated: a URL may carry credentials
    return fail('baseUrl', 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('baseUrl', 'must be an http(s) URL');
  if (url.username !== '' || url.password !== '') return fail('baseUrl', 'must not carry credentials');
  if (url.search !== '' || url.hash !== '') return fail('baseUrl', 'must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Check raw plugin configuration; throws PluginConfigError naming the field, never its value. */
export function validateOmniConfig(raw: unknown): OmniConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('(root)', 'must be an object');
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!KNOWN_FIELDS.has(key)) fail(key, 'is not a known setting');
  const reports = r.reports ?? CONFIG_DEFAULTS.reports;
  if (reports !== 'polling' && reports !== 'webhook' && reports !== 'both')
    fail('reports', 'must be "polling", "webhook" or "both"');
  return {
    clientId: credential(r, 'clientId'),
    password: credential(r, 'password'),
    baseUrl: baseUrl(r),
    connections: integer(r, 'connections', 1, 1024),
    sendConcurrency: integer(r, 'sendConcurrency', 1, 1024),
    requestTimeoutMs: integer(r, 'requestTimeoutMs', 1000, 300_000),
    tokenRefreshMarginMs: integer(r, 'tokenRefreshMarginMs', 0, 12 * 60 * 60_000),
    rateLimitBackoffMs: integer(r, 'rateLimitBackoffMs', 1, 60_000),
    reports: reports as ReportMode,
  };
}
