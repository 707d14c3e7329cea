import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyCache } from './auth/api-key-cache';
import { AuthFailures } from './auth/auth-failures';
import { AuthGuard } from './auth/auth.guard';
import { OPERATOR_KEY, resolveOperatorKey } from './auth/operator-key';
import { CLOCK, Clock, systemClock } from './common/clock';
import { ErrorFilter } from './common/error.filter';
import { loggerParams } from './common/logging';
import { Environment, validateEnvironment } from './config/environment';
import { EMBEDDED_TEMPLATE } from './database/database-location';
import { DatabaseModule } from './database/database.module';
import { IN_MEMORY } from './database/embedded-postgres';
import { HealthModule } from './health/health.module';
import { PluginsModule } from './plugins/plugins.module';
import { DispatchModule } from './dispatch/dispatch.module';
import { ProjectsModule } from './projects/projects.module';
import { DemoModule } from './demo/demo.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { CallingNumbersModule } from './calling-numbers/calling-numbers.module';
import { OptOutModule } from './opt-out/opt-out.module';
import { FilesModule } from './files/files.module';
import { MessagesModule } from './messages/messages.module';
import { BulkModule } from './bulk/bulk.module';
import { ReservationsModule } from './reservations/reservations.module';
import { SchedulesModule } from './schedules/schedules.module';

export interface AppOptions {
  /** the environment to read settings from (default: process.env) */
  env?: Record<string, string | undefined>;
  /** the clock every service reads the time from (default: the system clock) */
  clock?: Clock;
  /** tests: an in-memory embedded database starts as a copy of this PGlite dump (already migrated) */
  embeddedTemplate?: Blob;
}

/** Providers every module may inject: the clock and the operator key. */
@Global()
@Module({})
class CoreModule {
  static forRoot(clock: Clock, embeddedTemplate: Blob | null): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: CLOCK, useValue: clock },
        ApiKeyCache,
        AuthFailures,
        { provide: EMBEDDED_TEMPLATE, useValue: embeddedTemplate },
        {
          provide: OPERATOR_KEY,
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => {
            const pgliteDir = config.get('MUNJA_PGLITE_DIR', { infer: true });
            const embeddedDir =
              config.get('DATABASE_URL', { infer: true }) || pgliteDir === IN_MEMORY ? undefined : pgliteDir;
            return resolveOperatorKey(config.get('MUNJA_OPERATOR_KEY', { infer: true }), embeddedDir);
          },
        },
      ],
      exports: [CLOCK, OPERATOR_KEY, EMBEDDED_TEMPLATE, ApiKeyCache, AuthFailures],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions = {}): DynamicModule {
    // Validated here, before anything starts, so a bad setting stops start-up with a message naming it.
    const environment = validateEnvironment(options.env ?? process.env);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          // Only the validated settings count: ConfigService.get must never fall back to process.env (a test's
          // DATABASE_URL would otherwise reach an app told to use PGlite).
          skipProcessEnv: true,
          load: [() => ({ ...environment })],
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) =>
            loggerParams(config.get('LOG_LEVEL', { infer: true })),
        }),
        CoreModule.forRoot(options.clock ?? systemClock, options.embeddedTemplate ?? null),
        DatabaseModule,
        ProjectsModule,
        CallingNumbersModule,
        OptOutModule,
        FilesModule,
        MessagesModule,
        BulkModule,
        ReservationsModule,
        SchedulesModule,
        HealthModule,
        PluginsModule,
        DispatchModule,
        DemoModule,
        WebhooksModule,
        MetricsModule,
        RetentionModule,
      ],
      providers: [
        // one instance: the guard of every Nest route, and the check of the send route served directly
        AuthGuard,
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
