import {
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { PluginRegistry } from '../plugins/plugin-registry';
import { ReportPoller } from './report-poller';
import { ReportStore } from './report-store';
import { MessageReportsController } from './message-reports.controller';
import { ReportsController } from './reports.controller';

/** Runs the report poller on a timer (when this process runs the dispatch jobs). */
@Injectable()
export class ReportPolling implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Reports');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;

  constructor(
    private readonly poller: ReportPoller,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.get('MUNJA_DISPATCH', { infer: true })) return;
    const every = this.config.get('MUNJA_REPORT_POLL_MS', { infer: true });
    this.timer = setInterval(() => void this.pollNow(), every);
    this.timer.unref();
  }

  /**
   * One polling round now (tests call it to skip the wait); rounds never overlap. A round that stopped at its
   * round limit with more to ask about is followed by the next one at once, not after the interval.
   */
  pollNow(): Promise<unknown> {
    if (this.stopping) return Promise.resolve(0);
    this.running ??= this.poller
      .tick(() => this.stopping)
      .catch((error: unknown) => this.logger.error({ err: error }, 'report polling round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.poller.behind && !this.stopping) setImmediate(() => void this.pollNow());
      });
    return this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

@Module({
  controllers: [ReportsController, MessageReportsController],
  providers: [
    { provide: ReportStore, inject: [DataSource], useFactory: (db: DataSource) => new ReportStore(db) },
    {
      provide: ReportPoller,
      inject: [DataSource, PluginRegistry, ReportStore, CLOCK],
      useFactory: (db: DataSource, registry: PluginRegistry, store: ReportStore, clock: Clock) =>
        new ReportPoller(db, registry, store, clock),
    },
    ReportPolling,
  ],
  exports: [ReportStore, ReportPolling],
})
export class ReportsModule {}
