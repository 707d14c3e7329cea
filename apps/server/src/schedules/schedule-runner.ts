import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { dueOccurrences } from '@munja/scheduling';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { Dispatcher } from '../dispatch/dispatcher';
import { sql } from '../dispatch/sql';
import { MessagesService } from '../messages/messages.service';
import { planOccurrences, type TemplateRow } from './occurrence-plan';
import { writeOccurrences, type WrittenOccurrences } from './occurrence-writer';
import { SCHEDULE_COLUMNS, scheduleOf, type ScheduleRow } from './schedule-row';

export const RUNNER_INTERVAL = 'munja-schedule-runner';
/** Schedules one tick handles at most (the next tick takes the rest). */
const SCHEDULES_PER_TICK = 100;
/** How long a claimed schedule is this process's to plan, by the database's clock. */
const LEASE_SECONDS = 60;

export interface RunnerTick extends WrittenOccurrences {
  /** schedules whose due occurrences this tick recorded */
  schedules: number;
}

/**
 * Turns due occurrences of recurring schedules into reservations. Each tick (an interval registered with
 * @nestjs/schedule's SchedulerRegistry, every MUNJA_DISPATCH_SWEEP_MS in processes that dispatch; tests call
 * `tick()` with the injected clock) claims live schedules whose next occurrence has come, one at a time:
 *
 * 1. claim — one statement takes a lease on the schedule row (`FOR UPDATE SKIP LOCKED`, a lease not held by a
 *    live process), so several processes share the schedules without planning one twice;
 * 2. plan — outside any transaction (on the embedded PGlite an open transaction holds every connection), the
 *    templates are reviewed at the occurrence's instant;
 * 3. write — one transaction locks the row again, and only if its cursor and version are still the ones planned
 *    from, stores the reservations (unique occurrence key, `ON CONFLICT DO NOTHING`) with their messages and moves
 *    the cursor past them. The reservation release job of the dispatcher then starts the READY ones.
 */
@Injectable()
export class ScheduleRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScheduleRunner');
  private readonly owner = randomUUID();
  private readonly graceMs: number;
  private ticking: Promise<RunnerTick> | undefined;
  /** what this process's runner recorded since start, and the plans it dropped (another process was first) */
  readonly stats: RunnerTick & { dropped: number } = {
    schedules: 0,
    ready: 0,
    skip: 0,
    stale: 0,
    reserved: 0,
    taken: 0,
    dropped: 0,
  };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sending: MessagesService,
    private readonly config: ConfigService<Environment, true>,
    private readonly registry: SchedulerRegistry,
    @Optional() private readonly dispatcher?: Dispatcher,
  ) {
    this.graceMs = config.get('MUNJA_RESERVATION_GRACE_MINUTES', { infer: true }) * 60_000;
  }

  onApplicationBootstrap(): void {
    if (!this.config.get('MUNJA_DISPATCH', { infer: true })) return;
    const every = this.config.get('MUNJA_DISPATCH_SWEEP_MS', { infer: true });
    const timer = setInterval(() => {
      this.tick().catch((error: unknown) => this.logger.error({ err: error }, 'schedule tick failed'));
    }, every);
    timer.unref();
    this.registry.addInterval(RUNNER_INTERVAL, timer);
  }

  // Before the database closes, so a tick in flight finishes its transaction.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', RUNNER_INTERVAL)) this.registry.deleteInterval(RUNNER_INTERVAL);
    await this.ticking?.catch(() => undefined);
  }

  /** One round at the clock's current time; a round already running in this process is joined, not doubled. */
  tick(): Promise<RunnerTick> {
    this.ticking ??= this.round().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async round(): Promise<RunnerTick> {
    const now = this.clock.now();
    const total: RunnerTick = { schedules: 0, ready: 0, skip: 0, stale: 0, reserved: 0, taken: 0 };
    for (let i = 0; i < SCHEDULES_PER_TICK; i += 1) {
      const row = await this.claim(now);
      if (!row) break;
      let written: WrittenOccurrences | null;
      try {
        written = await this.handle(row, now);
      } catch (error) {
        // Its lease keeps it out of this round; another round (here or elsewhere) retries once the lease expires.
        this.logger.error({ err: error, schedule: row.id }, 'schedule occurrences could not be recorded');
        continue;
      }
      if (!written) {
        this.stats.dropped += 1;
        continue;
      }
      total.schedules += 1;
      for (const key of ['ready', 'skip', 'stale', 'reserved', 'taken'] as const) total[key] += written[key];
    }
    for (const key of ['schedules', 'ready', 'skip', 'stale', 'reserved', 'taken'] as const) {
      this.stats[key] += total[key];
    }
    if (total.ready > 0 && this.config.get('MUNJA_DISPATCH', { infer: true })) {
      // Start them now rather than at the next sweep.
      void this.dispatcher?.sweepNow();
    }
    return total;
  }

  private async claim(now: Date): Promise<ScheduleRow | undefined> {
    const { rows } = await sql<ScheduleRow>(
      this.db,
      `UPDATE schedules SET lease_owner = $2, lease_expires_at = clock_timestamp() + make_interval(secs => $3)
        WHERE id = (SELECT id FROM schedules
                     WHERE deleted_at IS NULL AND next_at <= $1
                       AND (lease_expires_at IS NULL OR lease_expires_at < clock_timestamp())
                     ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${SCHEDULE_COLUMNS}`,
      [now, this.owner, LEASE_SECONDS],
    );
    return rows[0];
  }

  private async handle(row: ScheduleRow, now: Date): Promise<WrittenOccurrences | null> {
    const due = dueOccurrences(scheduleOf(row), row.cursor_at, now, this.graceMs);
    const { rows: templates } =
      due.fire.length > 0
        ? await sql<TemplateRow>(
            this.db,
            `SELECT id, body FROM schedule_templates WHERE schedule_id = $1 ORDER BY created_at, id`,
            [row.id],
          )
        : { rows: [] as TemplateRow[] };
    const plans = await planOccurrences(this.sending, row, due, templates);
    return this.db.transaction(async (manager) => {
      const { rows: current } = await sql<{ cursor_at: Date; revision: number; lease_owner: string | null }>(
        manager,
        `SELECT cursor_at, revision, lease_owner FROM schedules WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
        [row.id],
      );
      const still = current[0];
      const unchanged =
        still !== undefined &&
        still.cursor_at.getTime() === row.cursor_at.getTime() &&
        still.revision === row.revision;
      if (!unchanged) {
        // Deleted, updated or handled by another process since the claim: its plan is no longer the truth.
        if (still?.lease_owner === this.owner) {
          await sql(
            manager,
            `UPDATE schedules SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1`,
            [row.id],
          );
        }
        return null;
      }
      const written = await writeOccurrences(manager, row, plans, now);
      await sql(
        manager,
        `UPDATE schedules SET cursor_at = $2, next_at = $3, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = $1`,
        [row.id, due.cursor, due.next?.instant ?? null],
      );
      return written;
    });
  }
}
