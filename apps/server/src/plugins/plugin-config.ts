import { readFileSync } from 'node:fs';

/** One plugin to load: its package name (resolved like any `require`), an optional id override, its config. */
export interface PluginEntry {
  readonly package: string;
  /** the id messages are routed by; defaults to the plugin definition's own id */
  readonly id?: string;
  readonly config: unknown;
}

/** One row of the route table: the first row matching a message gives its ordered plugins. */
export interface RouteRule {
  /** country calling code without '+', or '*' for any */
  readonly countryCode: string;
  /** SMS | LMS | MMS | INTL, or '*' */
  readonly type: string;
  /** COMM | AD, or '*' */
  readonly contentType: string;
  /** primary first, then the fallbacks */
  readonly plugins: readonly string[];
}

/** A setting of the plugin configuration is wrong: names the setting, never echoes a secret value. */
export class PluginSetupError extends Error {
  override readonly name = 'PluginSetupError';
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`${setting}: ${reason}`);
  }
}

function parseJson(setting: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PluginSetupError(
      setting,
      `is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    );
  }
}

/** Reads MUNJA_PLUGINS (a JSON array) or MUNJA_PLUGINS_FILE (a path to one); undefined when neither is set. */
export function readPluginEntries(
  json: string | undefined,
  file: string | undefined,
): PluginEntry[] | undefined {
  let raw: unknown;
  let setting: string;
  if (json !== undefined && json !== '') {
    setting = 'MUNJA_PLUGINS';
    raw = parseJson(setting, json);
  } else if (file !== undefined && file !== '') {
    setting = 'MUNJA_PLUGINS_FILE';
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new PluginSetupError(
        setting,
        `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    raw = parseJson(setting, text);
  } else {
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0)
    throw new PluginSetupError(setting, 'must be a non-empty JSON array of { package, id?, config }');
  return raw.map((item: unknown, index): PluginEntry => {
    const at = `${setting}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new PluginSetupError(at, 'must be an object { package, id?, config }');
    const entry = item as Record<string, unknown>;
    if (typeof entry.package !== 'string' || entry.package === '')
      throw new PluginSetupError(`${at}.package`, 'is required (the plugin package name)');
    if (entry.id !== undefined && (typeof entry.id !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(entry.id)))
      throw new PluginSetupError(`${at}.id`, 'must be lower-case letters, digits, - or _');
    return { package: entry.package, id: entry.id as string | undefined, config: entry.config ?? {} };
  });
}

const WILDCARD_OR = (values: readonly string[]) => new Set(['*', ...values]);
const TYPES = WILDCARD_OR(['SMS', 'LMS', 'MMS', 'INTL']);
const CONTENT_TYPES = WILDCARD_OR(['COMM', 'AD']);

/** Reads MUNJA_ROUTES (a JSON array of route rules); undefined when unset. */
export function readRouteRules(json: string | undefined): RouteRule[] | undefined {
  if (json === undefined || json === '') return undefined;
  const raw = parseJson('MUNJA_ROUTES', json);
  if (!Array.isArray(raw) || raw.length === 0)
    throw new PluginSetupError(
      'MUNJA_ROUTES',
      'must be a non-empty JSON array of { countryCode, type?, contentType?, plugins }',
    );
  return raw.map((item: unknown, index): RouteRule => {
    const at = `MUNJA_ROUTES[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new PluginSetupError(at, 'must be an object');
    const rule = item as Record<string, unknown>;
    const countryCode = rule.countryCode ?? '*';
    if (typeof countryCode !== 'string' || !(countryCode === '*' || /^[1-9]\d{0,3}$/.test(countryCode)))
      throw new PluginSetupError(`${at}.countryCode`, "must be a country calling code like '82' or '*'");
    const type = rule.type ?? '*';
    if (typeof type !== 'string' || !TYPES.has(type))
      throw new PluginSetupError(`${at}.type`, 'must be SMS, LMS, MMS, INTL or *');
    const contentType = rule.contentType ?? '*';
    if (typeof contentType !== 'string' || !CONTENT_TYPES.has(contentType))
      throw new PluginSetupError(`${at}.contentType`, 'must be COMM, AD or *');
    const plugins = rule.plugins;
    if (!Array.isArray(plugins) || plugins.length === 0 || plugins.some((p) => typeof p !== 'string'))
      throw new PluginSetupError(`${at}.plugins`, 'must be a non-empty array of plugin ids');
    if (new Set(plugins).size !== plugins.length)
      throw new PluginSetupError(`${at}.plugins`, 'must not name a plugin twice');
    return { countryCode, type, contentType, plugins: plugins as string[] };
  });
}

/** Korean domestic traffic goes to SENS first and falls back to OMNI; everything else goes to OMNI. */
export const DEFAULT_ROUTES: readonly RouteRule[] = [
  { countryCode: '82', type: '*', contentType: '*', plugins: ['sens', 'omni'] },
  { countryCode: '*', type: '*', contentType: '*', plugins: ['omni'] },
];
