import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelListener } from '../common/channel-listener';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import {
  DATABASE_LOCATION,
  DatabaseLocationModule,
  type DatabaseLocation,
} from '../database/database-location';
import { DeliveryStore } from './delivery-store';
import { DeliveryWorker } from './delivery-worker';
import { WEBHOOK_CHANNEL } from './webhook-channel';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookTestEvents } from './webhook-test-event';
import { WebhooksController } from './webhooks.controller';

const HOUR_MS = 3_600_000;

/** Starts the delivery worker (and its LISTEN connection on a PostgreSQL server); stops it before the database. */
@Injectable()
export class WebhookDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly worker: DeliveryWorker;
  private listener: ChannelListener | undefined;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(CLOCK) clock: Clock,
    private readonly config: ConfigService<Environment, true>,
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
  ) {
    this.worker = new DeliveryWorker(new DeliveryStore(db), clock, {
      tickMs: config.get('MUNJA_WEBHOOK_TICK_MS', { infer: true }),
      timeoutMs: config.get('MUNJA_WEBHOOK_TIMEOUT_MS', { infer: true }),
      backoffMs: config.get('MUNJA_WEBHOOK_BACKOFF_MS', { infer: true }),
      retryWindowMs: config.get('MUNJA_WEBHOOK_RETRY_HOURS', { infer: true }) * HOUR_MS,
      failingWindowMs: config.get('MUNJA_WEBHOOK_DISABLE_HOURS', { infer: true }) * HOUR_MS,
      maxConsecutiveFailures: config.get('MUNJA_WEBHOOK_DISABLE_FAILURES', { infer: true }),
      batchSize: 20,
      allowPrivate: config.get('MUNJA_WEBHOOK_ALLOW_PRIVATE', { infer: true }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('MUNJA_WEBHOOKS', { infer: true })) return;
    // On the embedded PGlite every writer is this process; the timer (MUNJA_WEBHOOK_TICK_MS) drives rounds.
    if (!this.location.embedded) {
      this.listener = new ChannelListener(
        this.location.url,
        WEBHOOK_CHANNEL,
        () => this.worker.wake(),
        'Webhooks',
      );
      await this.listener.start();
    }
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
    await this.worker.stop();
  }
}

/** Outbound webhooks: endpoints API, delivery log, and the delivery worker fed by the outbox (webhook-events.ts). */
@Module({
  imports: [DatabaseLocationModule],
  controllers: [WebhooksController],
  providers: [WebhookEndpointsService, WebhookDeliveriesService, WebhookTestEvents, WebhookDelivery],
  exports: [WebhookDelivery],
})
export class WebhooksModule {}
