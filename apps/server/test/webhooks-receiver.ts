import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** What the receiver answers: a status code, or 'hang' to never answer (a timeout for the sender). */
export type Answer = number | 'hang';

/**
 * A customer's webhook receiver on 127.0.0.1 (ephemeral port) that records every request exactly as it
 * arrived (raw body, so signatures are checked over the bytes sent) and answers what `answer` decides.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private answer: (request: ReceivedRequest, index: number) => Answer) {}

  setAnswer(answer: (request: ReceivedRequest, index: number) => Answer): void {
    this.answer = answer;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const received = { headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(received);
        const answer = this.answer(received, this.requests.length - 1);
        if (answer === 'hang') return;
        res.statusCode = answer;
        res.end(answer >= 200 && answer < 300 ? 'ok' : 'receiver says no');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  /** Requests carrying one event id, in arrival order. */
  forEvent(eventId: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.headers['munja-event-id'] === eventId);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Polls `probe` until it answers something truthy (or throws after `timeoutMs`, with the last answer). The
 * default is generous: on 2 cores shared with other work a dispatch round can take many times its usual time,
 * and a poll ends as soon as the answer is there.
 */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  timeoutMs = 45_000,
  stepMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last answer: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
