import { Logger } from '@nestjs/common';
import type { PluginContext, PluginLogger } from '@munja/provider-kit';
import { PluginConfigError } from '@munja/provider-kit';
import type { Clock } from '../common/clock';
import {
  DEFAULT_ROUTES,
  PluginSetupError,
  readPluginEntries,
  readRouteRules,
  type PluginEntry,
} from './plugin-config';
import { loadPluginDefinition } from './plugin-loader';
import { PluginRegistry, type LoadedPlugin } from './plugin-registry';
import { RouteTable } from './route-table';

export interface PluginSettings {
  readonly plugins?: string;
  readonly pluginsFile?: string;
  readonly routes?: string;
}

function pluginLogger(id: string): PluginLogger {
  const logger = new Logger(`plugin:${id}`);
  return {
    debug: (obj, msg) => logger.debug({ ...obj, msg }),
    info: (obj, msg) => logger.log({ ...obj, msg }),
    warn: (obj, msg) => logger.warn({ ...obj, msg }),
    error: (obj, msg) => logger.error({ ...obj, msg }),
  };
}

/** The configured plugin entries, or undefined when none are configured (the embedded default). */
export function configuredEntries(settings: PluginSettings): PluginEntry[] | undefined {
  return readPluginEntries(settings.plugins, settings.pluginsFile);
}

/**
 * Loads each plugin by package name, validates its config (an error names the plugin and the field, never a
 * value), creates its provider, and checks the route table against what the plugins carry.
 */
export function buildRegistry(
  entries: readonly PluginEntry[],
  routes: string | undefined,
  clock: Clock,
): PluginRegistry {
  const loaded: LoadedPlugin[] = [];
  try {
    entries.forEach((entry, index) => {
      const at = `plugins[${index}]`;
      const definition = loadPluginDefinition(entry, at);
      const id = entry.id ?? definition.id;
      if (loaded.some((p) => p.id === id))
        throw new PluginSetupError(`${at}.id`, `plugin id "${id}" is loaded twice; give one an "id"`);
      let config: unknown;
      try {
        config = definition.validateConfig(entry.config);
      } catch (error) {
        if (error instanceof PluginConfigError)
          throw new PluginSetupError(`plugin ${id} (${entry.package}) config.${error.field}`, error.message);
        throw new PluginSetupError(
          `plugin ${id} (${entry.package}) config`,
          error instanceof Error ? error.message : 'is invalid',
        );
      }
      const context: PluginContext = { logger: pluginLogger(id), now: () => clock.now() };
      loaded.push({
        id,
        packageName: entry.package,
        definition,
        provider: definition.create(config, context),
      });
    });
    const rules =
      readRouteRules(routes) ??
      DEFAULT_ROUTES.map((rule) => ({
        ...rule,
        // the default table names sens and omni; keep what of it is loaded
        plugins: rule.plugins.filter((id) => loaded.some((p) => p.id === id)),
      })).filter((rule) => rule.plugins.length > 0);
    return new PluginRegistry(loaded, (channels) => new RouteTable(rules, channels));
  } catch (error) {
    // providers created before the failure hold connection pools
    void Promise.allSettled(loaded.map((p) => p.provider.close?.()));
    throw error;
  }
}
