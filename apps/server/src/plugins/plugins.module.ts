import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { READINESS_CHECKS, type ReadinessCheck } from '../health/readiness';
import { EmbeddedSimulator } from './embedded-simulator';
import { PluginSetupError } from './plugin-config';
import { PluginRegistry } from './plugin-registry';
import { buildRegistry, configuredEntries } from './plugin-setup';

/** The in-process simulator when the embedded default runs, else null. */
export const EMBEDDED_SIMULATOR = Symbol('EMBEDDED_SIMULATOR');

const HEALTH_TIMEOUT_MS = 3000;

@Injectable()
class PluginsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Plugins');

  constructor(
    private readonly registry: PluginRegistry,
    @Inject(EMBEDDED_SIMULATOR) private readonly embedded: EmbeddedSimulator | null,
  ) {}

  // Dispatch depends on this module, so Nest shuts dispatch down (finishing in-flight sends) first.
  async onApplicationShutdown(): Promise<void> {
    await this.registry.closeAll();
    if (this.embedded) {
      await this.embedded.stop();
      this.logger.log('embedded simulator stopped');
    }
  }
}

/**
 * Loads the provider plugins named in the configuration (MUNJA_PLUGINS / MUNJA_PLUGINS_FILE) by package name,
 * validates each one's config, and builds the route table (MUNJA_ROUTES). With no plugin configuration it
 * starts the in-process simulator and points SENS and OMNI at it.
 */
@Global()
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: EMBEDDED_SIMULATOR,
      inject: [ConfigService, CLOCK],
      useFactory: async (config: ConfigService<Environment, true>, clock: Clock) => {
        const entries = configuredEntries({
          plugins: config.get('MUNJA_PLUGINS', { infer: true }),
          pluginsFile: config.get('MUNJA_PLUGINS_FILE', { infer: true }),
        });
        if (entries) return null;
        const embedded = await EmbeddedSimulator.start({
          now: () => clock.now().getTime(),
          seed: config.get('MUNJA_SIMULATOR_SEED', { infer: true }),
        });
        new Logger('Plugins').log(
          `no plugins configured: SENS and OMNI use the embedded simulator at ${embedded.url}`,
        );
        return embedded;
      },
    },
    {
      provide: PluginRegistry,
      inject: [ConfigService, CLOCK, EMBEDDED_SIMULATOR],
      useFactory: (
        config: ConfigService<Environment, true>,
        clock: Clock,
        embedded: EmbeddedSimulator | null,
      ) => {
        try {
          const entries =
            embedded?.pluginEntries() ??
            configuredEntries({
              plugins: config.get('MUNJA_PLUGINS', { infer: true }),
              pluginsFile: config.get('MUNJA_PLUGINS_FILE', { infer: true }),
            }) ??
            [];
          const registry = buildRegistry(entries, config.get('MUNJA_ROUTES', { infer: true }), clock);
          new Logger('Plugins').log(
            `plugins loaded: ${registry
              .list()
              .map((p) => `${p.id} (${p.packageName}: ${p.channels.join('/')})`)
              .join(', ')}`,
          );
          return registry;
        } catch (error) {
          if (embedded) void embedded.stop();
          if (error instanceof PluginSetupError)
            throw new Error(`Invalid plugin configuration:\n  ${error.message}`, { cause: error });
          throw error;
        }
      },
    },
    {
      provide: READINESS_CHECKS,
      inject: [PluginRegistry, HealthIndicatorService],
      useFactory: (registry: PluginRegistry, indicators: HealthIndicatorService): ReadinessCheck[] =>
        registry.ids().map((id) => async () => {
          const indicator = indicators.check(`plugin:${id}`);
          const summary = registry.list().find((p) => p.id === id);
          if (summary && !summary.healthy) return indicator.down({ problem: summary.problem });
          const health = registry.provider(id).health;
          if (!health) return indicator.up();
          try {
            const answer = await Promise.race([
              health.call(registry.provider(id)),
              new Promise<never>((_, reject) =>
                setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS).unref(),
              ),
            ]);
            return answer.ok ? indicator.up() : indicator.down({ problem: answer.detail ?? 'not ok' });
          } catch (error) {
            return indicator.down({
              problem: error instanceof Error ? error.message : 'health check failed',
            });
          }
        }),
    },
    PluginsLifecycle,
  ],
  exports: [PluginRegistry, EMBEDDED_SIMULATOR, READINESS_CHECKS],
})
export class PluginsModule {}
