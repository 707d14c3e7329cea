import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { RetentionJob, type RetentionReport } from './retention-job';

/** Partitions kept ready ahead of today; the DEFAULT partition catches anything beyond. */
const DAYS_AHEAD = 7;
/**
 * A step waits this long for a table lock, then gives up until the next run: while it waits in the lock queue
 * the sends queue behind it, so this bounds how long a send can stall.
 */
const LOCK_TIMEOUT_MS = 500;
const BATCH_SIZE = 5000;

/** Runs the retention job on a timer (every process may; the advisory lock makes one do each step). */
@Injectable()
export class Retention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly job: RetentionJob;
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(CLOCK) clock: Clock,
    private readonly config: ConfigService<Environment, true>,
  ) {
    this.job = new RetentionJob(db, clock, {
      retentionDays: config.get('MUNJA_RETENTION_DAYS', { infer: true }),
      daysAhead: DAYS_AHEAD,
      lockTimeoutMs: LOCK_TIMEOUT_MS,
      batchSize: BATCH_SIZE,
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('MUNJA_RETENTION', { infer: true })) return;
    this.timer = setInterval(() => this.tick(), this.config.get('MUNJA_RETENTION_TICK_MS', { infer: true }));
    this.timer.unref();
  }

  /** One run now (tests, operators); concurrent runs in other processes wait their turn per step. */
  run(): Promise<RetentionReport> {
    return this.job.run();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.job
      .run()
      .then((report) => {
        if (report.created.length + report.dropped.length > 0 || report.lockTimeouts > 0) {
          this.logger.log(
            `partitions created ${report.created.join(', ') || '-'}, dropped ${report.dropped.join(', ') || '-'}` +
              `, kept open ${report.keptOpen.join(', ') || '-'}, lock timeouts ${report.lockTimeouts}`,
          );
        }
      })
      .catch((error: unknown) => this.logger.warn(`retention run failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/** Message partitions and the retention purge (see README.md here). */
@Module({ providers: [Retention], exports: [Retention] })
export class RetentionModule {}
