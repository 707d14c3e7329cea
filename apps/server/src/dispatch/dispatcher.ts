import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import type { EmbeddedSimulator } from '../plugins/embedded-simulator';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { ReportStore } from '../reports/report-store';
import type { DispatchSignal } from './dispatch-signal';
import { MessageQueue, type ClaimedMessage, type RecordedStep } from '../lifecycle/message-queue';
import { OutcomeRecorder } from './outcome-recorder';
import { sendPluginBatch } from './plugin-batch';
import { PluginThrottle } from './plugin-throttle';
import { RecipientGate } from './recipient-gate';
import { ReservationRelease } from './reservation-release';
import type { RetryPolicy } from './retry-policy';
import { sql } from './sql';
import { VendorFiles } from './vendor-files';

/**
 * How often the sweep looks for sent messages past the report timeout (hours): the look reads every awaiting row
 * (`awaiting_reports` keeps no index on `sent_at`: an entry per message for a look that rarely finds anything;
 * 50,000 rows took 120–380 ms on the loaded 2-core machine), so once a minute, and then in rounds of
 * EXPIRY_ROUND until it finds fewer.
 */
const EXPIRY_EVERY_MS = 60_000;
const EXPIRY_ROUND = 1000;
const MAX_EXPIRY_ROUNDS = 100;

/** Reservations one release transaction takes, and rounds per sweep. */
const RELEASE_ROUND = 100;
const MAX_RELEASE_ROUNDS = 50;

export interface DispatcherSettings {
  readonly batchSize: number;
  readonly workers: number;
  /** claimed batches one worker has out at once (2: the next claim overlaps the current send) */
  readonly inFlightPerWorker: number;
  readonly leaseMs: number;
  /**
   * Recipients this process has out at vendors with their outcome not yet committed (vendor calls in flight ×
   * recipients per call): the most a crash can send twice. 400 by default: four SENS calls of 100.
   */
  readonly inFlightRecipients: number;
  /** outcome writes running at once (1 on PGlite) */
  readonly outcomeWriters: number;
  readonly sweepMs: number;
  readonly reservationGraceMs: number;
  readonly reportTimeoutMs: number;
  readonly policy: RetryPolicy;
}

/** Counters since start, for logs and tests. */
export interface DispatcherStats {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  released: number;
  recovered: number;
  reservationsStarted: number;
  reservationsStale: number;
  expired: number;
}

/**
 * The dispatch workers of one process. Each worker claims due rows under a lease and sends them one vendor call
 * at a time per plugin (at most `inFlightRecipients` recipients out at once in the process), recording each
 * call's outcomes as soon as it returns; a timed sweep recovers expired leases, starts due reservations and
 * closes unreported messages. Stop is graceful: no new claims, in-flight calls finish and are recorded,
 * claimed rows not yet sent are handed back.
 */
export class Dispatcher {
  /**
   * The lease owner this process writes into every queue row it claims: 48 random bits, 8 characters. It was
   * `host:pid:random` (~27 characters, logged in each claim's WAL record and kept in the row); which host and
   * process an owner is, is in the start line of the log.
   */
  readonly owner = randomBytes(6).toString('base64url');
  /** when the sweep last looked for expired reports (clock time; see EXPIRY_EVERY_MS) */
  private lastExpiry = -Infinity;
  readonly stats: DispatcherStats = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    released: 0,
    recovered: 0,
    reservationsStarted: 0,
    reservationsStale: 0,
    expired: 0,
  };
  private readonly logger = new Logger('Dispatch');
  private readonly queue: MessageQueue;
  private readonly reservations: ReservationRelease;
  private readonly throttle = new PluginThrottle();
  private readonly gate: RecipientGate;
  private readonly recorder: OutcomeRecorder;
  private readonly files: VendorFiles;
  private running = false;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly registry: PluginRegistry,
    private readonly reports: ReportStore,
    private readonly signal: DispatchSignal,
    private readonly clock: Clock,
    private readonly settings: DispatcherSettings,
    private readonly embedded: EmbeddedSimulator | null,
  ) {
    this.queue = new MessageQueue(db);
    this.reservations = new ReservationRelease(db);
    this.files = new VendorFiles(db);
    this.gate = new RecipientGate(settings.inFlightRecipients);
    this.recorder = new OutcomeRecorder(
      (steps) => this.queue.record(this.owner, steps, this.clock.now()).then(() => undefined),
      () => this.clock.now().getTime(),
      {
        firstBackoffMs: 100,
        maxBackoffMs: 5000,
        // past this, another worker may already have claimed the rows again
        leaseMarginMs: Math.min(5000, settings.leaseMs / 4),
      },
      (error, steps, givenUp) =>
        givenUp
          ? this.logger.error(
              { err: error, steps },
              'recording outcomes failed until their lease nearly ended: given up, these messages are sent again',
            )
          : this.logger.warn({ err: error, steps }, 'recording outcomes failed: retrying'),
      settings.outcomeWriters,
    );
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loops = Array.from({ length: this.settings.workers }, (_, i) => this.workerLoop(i));
    this.sweepTimer = setInterval(() => void this.sweepNow(), this.settings.sweepMs);
    this.sweepTimer.unref();
    void this.sweepNow();
    this.logger.log(
      `dispatcher ${this.owner} (${hostname()}, pid ${process.pid}) started: ${this.settings.workers} workers, batch ${this.settings.batchSize}`,
    );
  }

  /** Graceful stop: no new claims; in-flight sends finish and are recorded; unsent claimed rows go back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.signal.wake();
    await Promise.all(this.loops);
    await this.sweeping;
    this.running = false;
    this.loops = [];
    this.logger.log(`dispatcher ${this.owner} stopped`);
  }

  /**
   * One sweep now: reservations, expiry; wakes the workers when it queued anything. (Expired leases need no
   * sweep: a claim's lease is its queue row's visibility time, so the row is claimable again once it passes.)
   */
  sweepNow(): Promise<void> {
    this.sweeping ??= this.sweep()
      .catch((error: unknown) => this.logger.error({ err: error }, 'dispatch sweep failed'))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(): Promise<void> {
    if (this.stopping) return;
    const now = this.clock.now();
    // A burst of due reservations (many at the same minute) is released in rounds of RELEASE_ROUND.
    const released = { started: 0, stale: 0, queued: 0 };
    for (let round = 0; round < MAX_RELEASE_ROUNDS && !this.stopping; round += 1) {
      const result = await this.reservations.releaseDue(now, this.settings.reservationGraceMs, RELEASE_ROUND);
      released.started += result.started;
      released.stale += result.stale;
      released.queued += result.queued;
      if (result.started + result.stale < RELEASE_ROUND) break;
    }
    this.stats.reservationsStarted += released.started;
    this.stats.reservationsStale += released.stale;
    if (released.started + released.stale > 0) this.logger.log({ ...released }, 'reservations released');
    await this.reservations.finishProcessed(now);
    if (now.getTime() - this.lastExpiry >= EXPIRY_EVERY_MS || now.getTime() < this.lastExpiry) {
      this.lastExpiry = now.getTime();
      for (let round = 0; round < MAX_EXPIRY_ROUNDS && !this.stopping; round += 1) {
        const expired = await this.queue.expireUnreported(
          new Date(now.getTime() - this.settings.reportTimeoutMs),
          now,
          EXPIRY_ROUND,
        );
        this.stats.expired += expired;
        if (expired < EXPIRY_ROUND) break;
      }
    }
    if (released.queued > 0) this.signal.wake();
  }

  /**
   * One worker: claims a batch and, while it is out at the vendor and being recorded, claims the next, so the
   * database and the vendor work at the same time (at most inFlightPerWorker batches). Stop waits for them.
   */
  private async workerLoop(worker: number): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      if (inFlight.size >= this.settings.inFlightPerWorker) {
        await Promise.race(inFlight);
        continue;
      }
      let claimed: ClaimedMessage[];
      let leaseUntil: Date;
      try {
        const now = this.clock.now();
        leaseUntil = new Date(now.getTime() + this.settings.leaseMs);
        claimed = await this.queue.claim(
          this.owner,
          this.settings.batchSize,
          now,
          leaseUntil,
          this.throttle.throttled(now),
        );
      } catch (error) {
        if (this.stopping) break;
        this.logger.error({ err: error, worker }, 'claim failed');
        await this.signal.wait(this.settings.sweepMs);
        continue;
      }
      if (claimed.length === 0) {
        // an in-flight batch may requeue retries or free a throttle: look again once it is done
        if (inFlight.size > 0) await Promise.race(inFlight);
        // stop() wakes the workers once: a worker that was still claiming then must not start a wait (the one
        // latched wake-up may have gone to the other worker, and this one would sleep a whole sweep)
        else if (!this.stopping) await this.signal.wait(this.settings.sweepMs);
        continue;
      }
      this.stats.claimed += claimed.length;
      const recovered = claimed.filter((m) => m.recovered).length;
      if (recovered > 0) {
        this.stats.recovered += recovered;
        this.logger.warn(
          { recovered },
          'claimed messages whose lease expired: these messages are sent again (at-least-once)',
        );
      }
      const sending: Promise<void> = this.dispatch(claimed, leaseUntil)
        .catch((error: unknown) => {
          // The rows stay leased to us and are claimed again once the lease expires: never lost.
          this.logger.error(
            { err: error, worker, rows: claimed.length },
            'dispatching a claimed batch failed',
          );
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    await Promise.all(inFlight);
  }

  /** Sends one claim: each plugin's share in vendor calls, all at once within the recipient gate. */
  private async dispatch(claimed: readonly ClaimedMessage[], leaseUntil: Date): Promise<void> {
    const byPlugin = new Map<string, ClaimedMessage[]>();
    for (const message of claimed) {
      const list = byPlugin.get(message.pluginId) ?? [];
      list.push(message);
      byPlugin.set(message.pluginId, list);
    }
    if (this.embedded) await this.registerCallingNumbers(claimed);
    const calls: Promise<void>[] = [];
    for (const [pluginId, messages] of byPlugin) {
      const perCall = Math.min(
        this.gate.capacity,
        this.registry.has(pluginId)
          ? this.registry.definition(pluginId).maxRecipientsPerCall
          : this.gate.capacity,
      );
      for (let i = 0; i < messages.length; i += perCall)
        calls.push(this.dispatchCall(pluginId, messages.slice(i, i + perCall), leaseUntil));
    }
    await Promise.all(calls);
  }

  /**
   * One vendor call's worth of messages: waits for room in the recipient gate, sends, and records the outcomes
   * before giving the room back, so every recipient whose send is not yet recorded counts against the gate.
   */
  private async dispatchCall(pluginId: string, messages: ClaimedMessage[], leaseUntil: Date): Promise<void> {
    await this.gate.acquire(messages.length);
    try {
      if (this.stopping) {
        // shutting down before this call started: hand the rows back untouched
        this.stats.released += await this.queue.release(this.owner, messages, this.clock.now());
        return;
      }
      const waitMs = this.throttle.remainingMs(pluginId, this.clock.now());
      if (waitMs > 0) {
        // this plugin was told to slow down after the claim: requeue without counting an attempt
        await this.record(
          messages.map((m) => ({
            id: m.id,
            requestTime: m.requestTime,
            pluginId,
            step: {
              kind: 'RETRY',
              routeIndex: m.routeIndex,
              attempts: m.attempts,
              dueAt: new Date(this.clock.now().getTime() + waitMs),
              code: 'RATE_LIMITED',
              message: `plugin ${pluginId} is slowed down`,
            },
          })),
          leaseUntil,
        );
        return;
      }
      const result = await sendPluginBatch(
        {
          pluginId,
          provider: this.registry.has(pluginId) ? this.registry.provider(pluginId) : undefined,
          files: this.files,
          policy: this.settings.policy,
          keepsVendorRequestId:
            !this.registry.has(pluginId) ||
            this.registry.definition(pluginId).pollsWithVendorRequestId !== false,
          now: () => this.clock.now(),
        },
        messages,
      );
      if (result.rateLimitedMs !== undefined) {
        this.throttle.slowDown(pluginId, this.clock.now(), result.rateLimitedMs);
        this.logger.warn(
          { pluginId, retryAfterMs: result.rateLimitedMs },
          'rate limited: slowing this plugin down',
        );
      }
      if (result.authenticationFailure) {
        this.registry.markUnhealthy(pluginId, `credentials refused: ${result.authenticationFailure}`);
        this.logger.error(
          { pluginId },
          'the vendor refused the plugin credentials; failing over where the route allows',
        );
      } else if (result.accepted > 0) {
        this.registry.markHealthy(pluginId);
      }
      await this.record(result.steps, leaseUntil);
    } finally {
      this.gate.release(messages.length);
    }
  }

  /** Records one call's outcomes (retried while the lease allows), then applies reports that came early. */
  private async record(steps: RecordedStep[], leaseUntil: Date): Promise<void> {
    if (!(await this.recorder.record(steps, leaseUntil))) return;
    const now = this.clock.now();
    const sentByPlugin = new Map<string, string[]>();
    for (const { step, pluginId } of steps) {
      if (step.kind === 'SENT') {
        this.stats.sent += 1;
        const list = sentByPlugin.get(pluginId) ?? [];
        list.push(step.vendorMessageId);
        sentByPlugin.set(pluginId, list);
      } else if (step.kind === 'RETRY') this.stats.retried += 1;
      else this.stats.failed += 1;
    }
    for (const [pluginId, vendorIds] of sentByPlugin)
      await this.reports.applyEarlyReports(pluginId, vendorIds, now);
    if (steps.some((s) => s.step.kind === 'RETRY')) this.signal.wake();
  }

  /**
   * Embedded default only: approving a calling number in Munja stands for registering it at the vendor's
   * console, so the simulator learns the approved numbers of the batch before it is sent.
   */
  private async registerCallingNumbers(claimed: readonly ClaimedMessage[]): Promise<void> {
    const numbers = [...new Set(claimed.map((m) => m.fromNumber))];
    const { rows } = await sql<{ number: string }>(
      this.db,
      `SELECT DISTINCT number FROM calling_numbers WHERE status = 'APPROVED' AND number = ANY($1::text[])`,
      [numbers],
    );
    this.embedded?.registerCallingNumbers(rows.map((r) => r.number));
  }
}
