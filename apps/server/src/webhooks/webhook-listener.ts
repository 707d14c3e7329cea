import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The channel the outbox triggers notify when they queue deliveries. */
export const WEBHOOK_CHANNEL = 'munja_webhooks';
const RECONNECT_MS = 2000;

/**
 * A dedicated connection running LISTEN munja_webhooks, so an event committed by any process wakes this
 * process's worker at once. Reconnects after a drop; the timed round covers anything missed meanwhile.
 */
export class WebhookListener {
  private readonly logger = new Logger('Webhooks');
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'munja-webhooks-listen' });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost: ${error.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.logger.warn(`LISTEN ${WEBHOOK_CHANNEL} failed: ${(error as Error).message}; relying on the timer`);
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.stopped || this.retry) return;
    if (this.client === client) this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
