import { Logger } from '@nestjs/common';
import type { Clock } from '../common/clock';
import type { DeliveryStore, DisablePolicy } from './delivery-store';
import { nextStep } from './retry-policy';
import { WebhookSender } from './webhook-sender';

/** How long events and their delivery log are kept. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 3_600_000;
/** How often a worker purges what is older than the retention. */
const PURGE_EVERY_MS = 10 * 60_000;

export interface DeliveryWorkerOptions extends DisablePolicy {
  tickMs: number;
  timeoutMs: number;
  backoffMs: number;
  retryWindowMs: number;
  /** deliveries one round claims (and sends concurrently) */
  batchSize: number;
  /** allow receivers on loopback, private or reserved addresses */
  allowPrivate?: boolean;
  random?: () => number;
}

/**
 * Sends due deliveries: a round claims a batch, POSTs them concurrently and records each attempt, repeating
 * while full batches come back. Rounds run on a timer and on wake() (NOTIFY when events are queued, at their commit).
 */
export class DeliveryWorker {
  private readonly logger = new Logger('Webhooks');
  private readonly sender: WebhookSender;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastPurge = Number.NEGATIVE_INFINITY;
  /** attempts this worker made (what a process contributed when several share the queue) */
  attempted = 0;

  constructor(
    private readonly store: DeliveryStore,
    private readonly clock: Clock,
    private readonly options: DeliveryWorkerOptions,
  ) {
    this.sender = new WebhookSender(options.timeoutMs, options.allowPrivate ?? false);
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.tickMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs a round now, or right after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Runs rounds until nothing is due; resolves when done (tests call it to step deterministically). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.round();
      total += sent;
      if (sent < this.options.batchSize) return total;
    }
  }

  /** Removes events older than the retention (30 days) with their deliveries and attempts. */
  purgeOld(): Promise<number> {
    return this.store.purge(new Date(this.clock.now().getTime() - WEBHOOK_RETENTION_MS));
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drain();
        // performance.now(), not the injected clock: this paces work, it decides nothing about the events.
        if (performance.now() - this.lastPurge >= PURGE_EVERY_MS) {
          this.lastPurge = performance.now();
          await this.purgeOld();
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn(`delivery round failed: ${(error as Error).message}`);
      }
    } while (this.again && !this.stopped);
  }

  private async round(): Promise<number> {
    if (this.stopped) return 0;
    const now = this.clock.now();
    // The lease outlasts the timeout, so a claim is never taken twice while its request can still be running.
    const leaseUntil = new Date(now.getTime() + this.options.timeoutMs + 60_000);
    const claimed = await this.store.claim(now, leaseUntil, this.options.batchSize);
    await Promise.all(
      claimed.map(async (delivery) => {
        const startedAt = this.clock.now();
        const body = WebhookSender.body({
          id: delivery.eventId,
          type: delivery.eventType,
          createdAt: delivery.eventTime,
          data: delivery.data,
        });
        const sent = await this.sender.send({
          url: delivery.url,
          secret: delivery.secret,
          eventId: delivery.eventId,
          body,
          timestampSeconds: Math.floor(startedAt.getTime() / 1000),
        });
        this.attempted += 1;
        const now = this.clock.now();
        const step = nextStep({
          ok: sent.ok,
          attempt: delivery.attempt,
          now,
          eventTime: delivery.eventTime,
          retryWindowMs: this.options.retryWindowMs,
          baseMs: this.options.backoffMs,
          random: (this.options.random ?? Math.random)(),
        });
        const { disabledReason } = await this.store.record(
          {
            delivery,
            startedAt,
            durationMs: sent.durationMs,
            statusCode: sent.statusCode,
            error: sent.error,
            outcome: step.outcome,
            nextAttemptAt: step.nextAttemptAt,
            now,
          },
          this.options,
        );
        if (disabledReason) this.logger.warn(`endpoint ${delivery.endpointId} disabled: ${disabledReason}`);
      }),
    );
    return claimed.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sender.close();
    await this.running;
  }
}
