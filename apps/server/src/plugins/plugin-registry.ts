import { isDeepStrictEqual } from 'node:util';
import { senderPoliciesOf, type Channel, type PluginDefinition, type Provider } from '@munja/provider-kit';
import type { LimitProfile, SenderPolicyTable } from '@munja/rules';
import { ApiError } from '../common/api-error';
import { DOMESTIC_COUNTRY_CODE, NoRouteError, RouteTable, type RouteInput } from './route-table';

/** How a table treats one country (sender shown, signature), or null when it refuses the country. */
function countryPolicy(table: SenderPolicyTable, countryCode: string): object | null {
  const policy = table.countries[countryCode] ?? table.fallback;
  if (!policy) return null;
  return {
    sender: policy.sender,
    fixedSender: policy.fixedSender ?? null,
    signature: policy.signature ?? null,
  };
}

/** A plugin loaded from configuration and connected to its vendor account. */
export interface LoadedPlugin {
  /** the id messages are routed by (the definition's id unless the configuration renamed it) */
  readonly id: string;
  readonly packageName: string;
  readonly definition: PluginDefinition;
  readonly provider: Provider;
}

export interface RouteAnswer {
  /** primary first, then fallbacks */
  readonly pluginIds: string[];
  /** the primary plugin's limits, which the rules plan the message against */
  readonly limitProfile: LimitProfile;
  /** the primary plugin's international sender policy, which the review plans the exact text with */
  readonly senderPolicies: SenderPolicyTable;
}

export interface PluginSummary {
  readonly id: string;
  readonly packageName: string;
  readonly displayName: string;
  readonly channels: readonly Channel[];
  readonly maxRecipientsPerCall: number;
  readonly healthy: boolean;
  readonly problem?: string;
}

/**
 * The loaded plugins and the route table. Built once at start-up by PluginsModule; send (routing) and
 * dispatch (providers) read it. Health marks come from dispatch (an authentication failure marks a plugin
 * unhealthy until a later call succeeds) and show in readiness.
 */
export class PluginRegistry {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly problems = new Map<string, string>();
  private readonly routes: RouteTable;

  constructor(
    plugins: readonly LoadedPlugin[],
    routes: RouteTable | ((channels: Map<string, readonly Channel[]>) => RouteTable),
  ) {
    for (const plugin of plugins) this.plugins.set(plugin.id, plugin);
    this.routes =
      typeof routes === 'function'
        ? routes(new Map(plugins.map((p) => [p.id, p.definition.channels] as const)))
        : routes;
  }

  /**
   * The ordered plugins for a message. Without `type` (before the rules chose SMS/LMS/MMS) it answers the
   * route for any domestic type, so its limitProfile is the one to plan against. Abroad, a fallback whose
   * sender policy for the country differs from the primary's is left out: the text is planned (signed) by the
   * primary's policy and a fallback would send it as is, so only a plugin that treats it the same may take
   * it over (OMNI, which sends a China text as written, is never followed by a plugin that would put 【Verify】
   * in front). Throws 422 NO_ROUTE.
   */
  route(input: RouteInput): RouteAnswer {
    let pluginIds: string[];
    try {
      pluginIds = this.routes.resolve(input);
    } catch (error) {
      if (error instanceof NoRouteError)
        throw ApiError.unprocessable('NO_ROUTE', error.message, 'countryCode');
      throw error;
    }
    const primary = this.definition(pluginIds[0] as string);
    const senderPolicies = senderPoliciesOf(primary);
    if (input.countryCode !== DOMESTIC_COUNTRY_CODE) {
      const planned = countryPolicy(senderPolicies, input.countryCode);
      pluginIds = pluginIds.filter(
        (id, index) =>
          index === 0 ||
          isDeepStrictEqual(countryPolicy(senderPoliciesOf(this.definition(id)), input.countryCode), planned),
      );
    }
    return { pluginIds, limitProfile: primary.limitProfile, senderPolicies };
  }

  has(pluginId: string): boolean {
    return this.plugins.has(pluginId);
  }

  provider(pluginId: string): Provider {
    return this.get(pluginId).provider;
  }

  definition(pluginId: string): PluginDefinition {
    return this.get(pluginId).definition;
  }

  ids(): string[] {
    return [...this.plugins.keys()];
  }

  list(): PluginSummary[] {
    return [...this.plugins.values()].map((p) => {
      const problem = this.problems.get(p.id);
      return {
        id: p.id,
        packageName: p.packageName,
        displayName: p.definition.displayName,
        channels: p.definition.channels,
        maxRecipientsPerCall: p.definition.maxRecipientsPerCall,
        healthy: problem === undefined,
        ...(problem === undefined ? {} : { problem }),
      };
    });
  }

  /** Dispatch saw the plugin's credentials refused (or similar): readiness reports it until a call succeeds. */
  markUnhealthy(pluginId: string, problem: string): void {
    this.problems.set(pluginId, problem);
  }

  markHealthy(pluginId: string): void {
    this.problems.delete(pluginId);
  }

  isHealthy(pluginId: string): boolean {
    return !this.problems.has(pluginId);
  }

  /** Closes every provider's connections (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.plugins.values()].map((p) => p.provider.close?.()));
  }

  private get(pluginId: string): LoadedPlugin {
    const plugin = this.plugins.get(pluginId);
    if (!plugin) throw new Error(`plugin "${pluginId}" is not loaded`);
    return plugin;
  }
}
