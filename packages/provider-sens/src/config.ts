import { PluginConfigError } from '@munja/provider-kit';

export const PLUGIN_ID = 'sens';
export const DEFAULT_BASE_URL = 'https://sens.apigw.ntruss.com';

export interface SensConfig {
  /** e.g. `ncp:sms:kr:123456789012:myproject`; sent un-encoded in the path, as in every vendor example */
  readonly serviceId: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** scheme + host (+ optional path prefix); defaults to the public region */
  readonly baseUrl: string;
  /** per request: connect, headers and body each (ms) */
  readonly timeoutMs: number;
  /** vendor calls in flight at once (also the keep-alive pool's connection count) */
  readonly concurrency: number;
}

const fail = (field: string, reason: string): never => {
  throw new PluginConfigError(PLUGIN_ID, field, reason);
};

function requiredString(raw: Record<string, unknown>, field: string, pattern: RegExp, what: string): string {
  const value = raw[field];
  if (value === undefined || value === null || value === '') return fail(field, 'is required');
  // never echo the value: it may be a secret
  if (typeof value !== 'string' || !pattern.test(value)) return fail(field, `must be ${what}`);
  return value;
}

function optionalInteger(
  raw: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = raw[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    return fail(field, `must be an integer from ${min} to ${max}`);
  return value;
}

/** Check raw plugin configuration; throws PluginConfigError naming the field, never its value. */
export function validateSensConfig(raw: unknown): SensConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('config', 'must be an object');
  const r = raw as Record<string, unknown>;
  const serviceId = requiredString(r, 'serviceId', /^[^\s/?#%]+$/, 'a SENS service id (ncp:sms:kr:…)');
  const accessKey = requiredString(r, 'accessKey', /^\S+$/, 'an access key id without spaces');
  const secretKey = requiredString(r, 'secretKey', /^\S+$/, 'a secret key without spaces');
  let baseUrl = DEFAULT_BASE_URL;
  if (r.baseUrl !== undefined && r.baseUrl !== null) {
    let url: URL | undefined;
    try {
      url = typeof r.baseUrl === 'string' ? new URL(r.baseUrl) : undefined;
    } catch {
      url = undefined;
    }
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.search ||
      url.hash ||
      url.username
    )
      return fail('baseUrl', 'must be an http(s) URL without query, fragment or credentials');
    baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  return {
    serviceId,
    accessKey,
    secretKey,
    baseUrl,
    timeoutMs: optionalInteger(r, 'timeoutMs', 100, 120_000, 10_000),
    concurrency: optionalInteger(r, 'concurrency', 1, 64, 8),
  };
}
