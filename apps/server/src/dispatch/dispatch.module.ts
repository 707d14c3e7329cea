import {
  BeforeApplicationShutdown,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { ChannelListener } from '../common/channel-listener';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import {
  DATABASE_LOCATION,
  DatabaseLocationModule,
  type DatabaseLocation,
} from '../database/database-location';
import { EMBEDDED_SIMULATOR } from '../plugins/plugins.module';
import type { EmbeddedSimulator } from '../plugins/embedded-simulator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { ReportStore } from '../reports/report-store';
import { ReportsModule } from '../reports/reports.module';
import { DISPATCH_CHANNEL, DispatchSignal } from './dispatch-signal';
import { Dispatcher } from './dispatcher';

/** Starts the dispatcher (and the LISTEN connection on a PostgreSQL server) with the app; stops it gracefully. */
@Injectable()
class DispatchLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private listener: ChannelListener | undefined;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly signal: DispatchSignal,
    private readonly config: ConfigService<Environment, true>,
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('MUNJA_DISPATCH', { infer: true })) return;
    // On the embedded PGlite every sender is in this process and wakes the signal directly.
    if (!this.location.embedded) {
      this.listener = new ChannelListener(
        this.location.url,
        DISPATCH_CHANNEL,
        () => this.signal.wake(),
        'Dispatch',
      );
      await this.listener.start();
    }
    this.dispatcher.start();
  }

  // Before the database closes (TypeORM and PGlite close in onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
    await this.listener?.stop();
  }
}

/**
 * The send side of the queue: dispatch workers, reservation release, lease recovery, report expiry.
 * Global so the send path can wake the workers in-process (DispatchSignal.wake()) after committing.
 */
@Global()
@Module({
  imports: [DatabaseLocationModule, ReportsModule],
  providers: [
    DispatchSignal,
    {
      provide: Dispatcher,
      inject: [
        DataSource,
        PluginRegistry,
        ReportStore,
        DispatchSignal,
        CLOCK,
        ConfigService,
        EMBEDDED_SIMULATOR,
        DATABASE_LOCATION,
      ],
      useFactory: (
        db: DataSource,
        registry: PluginRegistry,
        reports: ReportStore,
        signal: DispatchSignal,
        clock: Clock,
        config: ConfigService<Environment, true>,
        embedded: EmbeddedSimulator | null,
        location: DatabaseLocation,
      ) =>
        new Dispatcher(
          db,
          registry,
          reports,
          signal,
          clock,
          {
            batchSize: config.get('MUNJA_DISPATCH_BATCH', { infer: true }),
            workers: config.get('MUNJA_DISPATCH_WORKERS', { infer: true }),
            // PGlite runs one statement at a time: a second batch in flight only holds a connection longer
            inFlightPerWorker: location.embedded ? 1 : 2,
            leaseMs: config.get('MUNJA_DISPATCH_LEASE_SECONDS', { infer: true }) * 1000,
            inFlightRecipients: config.get('MUNJA_DISPATCH_IN_FLIGHT', { infer: true }),
            outcomeWriters: location.embedded ? 1 : 2,
            sweepMs: config.get('MUNJA_DISPATCH_SWEEP_MS', { infer: true }),
            reservationGraceMs: config.get('MUNJA_RESERVATION_GRACE_MINUTES', { infer: true }) * 60_000,
            reportTimeoutMs: config.get('MUNJA_REPORT_TIMEOUT_HOURS', { infer: true }) * 3_600_000,
            policy: {
              maxAttempts: config.get('MUNJA_DISPATCH_MAX_ATTEMPTS', { infer: true }),
              backoffMs: config.get('MUNJA_DISPATCH_BACKOFF_MS', { infer: true }),
              random: Math.random,
            },
          },
          embedded,
        ),
    },
    DispatchLifecycle,
  ],
  exports: [DispatchSignal, Dispatcher],
})
export class DispatchModule {}
