import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const RECONNECT_MS = 2000;

/**
 * One dedicated connection running LISTEN on a channel, so work committed by any process wakes this process at
 * once. Reconnects after a drop; the caller's timed sweep covers anything missed meanwhile (NOTIFY is a hint,
 * never the only path to the work).
 */
export class ChannelListener {
  private readonly logger: Logger;
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    /** the logger context and the connection's application_name suffix, e.g. 'Dispatch' */
    private readonly owner: string,
  ) {
    this.logger = new Logger(owner);
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.url,
      application_name: `munja-${this.owner.toLowerCase()}-listen`,
    });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost: ${error.message}`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
    } catch (error) {
      this.logger.warn(`LISTEN ${this.channel} failed: ${(error as Error).message}; relying on the sweep`);
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
