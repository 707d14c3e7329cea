import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DISPATCH_CHANNEL, type DispatchSignal } from './dispatch-signal';

const RECONNECT_MS = 2000;

/**
 * One dedicated connection running LISTEN munja_dispatch, so a send committed by any process wakes this
 * process's workers at once. Reconnects after a drop; the timed sweep covers anything missed meanwhile.
 */
export class WakeListener {
  private readonly logger = new Logger('Dispatch');
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly signal: DispatchSignal,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'munja-dispatch-listen' });
    client.on('notification', () => this.signal.wake());
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost: ${error.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${DISPATCH_CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.logger.warn(
        `LISTEN ${DISPATCH_CHANNEL} failed: ${(error as Error).message}; relying on the sweep`,
      );
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
