import { PluginConfigError } from '@munja/provider-kit';

export const PLUGIN_ID = 'postbox';

/** What the service's plugin configuration passes as `config` for this plugin. */
export interface PostboxConfig {
  /** the Postbox API's base URL (scheme, host, port) */
  readonly baseUrl: string;
  /** the account's API key, sent as a bearer token; never logged, never in an error */
  readonly apiKey: string;
  /** per request, in milliseconds */
  readonly timeoutMs: number;
}

const refuse = (field: string, reason: string): never => {
  throw new PluginConfigError(PLUGIN_ID, field, reason);
};

/**
 * Checks raw configuration and returns it typed. Each refusal is a PluginConfigError naming the field and
 * never its value (the service prints the message at start-up).
 */
export function validatePostboxConfig(raw: unknown): PostboxConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return refuse('config', 'must be an object');
  const { baseUrl, apiKey, timeoutMs = 5000 } = raw as Record<string, unknown>;
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl))
    return refuse('baseUrl', 'must be an absolute URL');
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return refuse('baseUrl', 'must be http or https');
  if (typeof apiKey !== 'string' || apiKey.trim() === '') return refuse('apiKey', 'is required');
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000)
    return refuse('timeoutMs', 'must be an integer from 100 to 60000');
  return { baseUrl: url.origin, apiKey, timeoutMs };
}
