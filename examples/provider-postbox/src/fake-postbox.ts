import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PostboxMessage, PostboxReport, PostboxResult } from './postbox-api';

export interface FakePostboxOptions {
  /** the API key it accepts (default 'postbox-test-key') */
  readonly apiKey?: string;
  /** calling numbers it sends from; any other `from` is refused as SENDER_NOT_REGISTERED */
  readonly senders?: readonly string[];
  /** seed of the fault injection's pseudo-random sequence, so a run repeats */
  readonly seed?: number;
}

const MAX_PER_CALL = 10;

/**
 * A loopback fake of the Postbox API, the tiny vendor this example plugin speaks to: the plugin's
 * conformance test and the service's end-to-end test run against it. Its knobs are what the provider-kit
 * conformance suite turns (credentials, rate limit, faults, outcomes).
 */
export class FakePostbox {
  private readonly senders: Set<string>;
  private apiKey: string;
  private random: number;
  private rateLimit = 0;
  private faultRate = 0;
  private mix = { delivered: 1, failed: 0 };
  private taken = 0;
  private calls = 0;
  private recent: number[] = [];
  private readonly receivedByTo = new Map<string, number>();
  /** reports not yet acknowledged, in the order they were produced */
  private reports: PostboxReport[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: FakePostboxOptions,
  ) {
    this.senders = new Set(options.senders ?? ['0212345678']);
    this.apiKey = options.apiKey ?? 'postbox-test-key';
    this.random = options.seed ?? 1;
  }

  static async start(options: FakePostboxOptions = {}): Promise<FakePostbox> {
    const server = createServer();
    const fake = new FakePostbox(server, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** the key a plugin config must carry */
  get configuredKey(): string {
    return this.options.apiKey ?? 'postbox-test-key';
  }

  reset(): void {
    this.apiKey = this.configuredKey;
    this.rateLimit = 0;
    this.faultRate = 0;
    this.mix = { delivered: 1, failed: 0 };
    this.calls = 0;
    this.recent = [];
    this.receivedByTo.clear();
    this.reports = [];
  }

  /** how many times it took a message for this recipient */
  received(to: string): number {
    return this.receivedByTo.get(to) ?? 0;
  }

  /** send calls it took since reset */
  sendCalls(): number {
    return this.calls;
  }

  rotateKey(): void {
    this.apiKey = `${this.configuredKey}-rotated`;
  }

  restoreKey(): void {
    this.apiKey = this.configuredKey;
  }

  /** send calls per second before it answers 429; 0 = no limit */
  setRateLimit(perSecond: number): void {
    this.rateLimit = perSecond;
    this.recent = [];
  }

  /** the probability that any request fails with 503 before anything is taken */
  setFaultRate(rate: number): void {
    this.faultRate = rate;
  }

  /** the delivered : failed ratio of the messages it takes from now on, in a fixed rotation */
  setOutcomes(mix: { delivered: number; failed: number }): void {
    this.mix = mix;
  }

  /** the webhook calls Postbox would make for the reports produced so far */
  webhookBodies(): { reports: PostboxReport[] } {
    return { reports: [...this.reports] };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** a linear congruential sequence in [0, 1): repeatable, unlike Math.random */
  private nextRandom(): number {
    this.random = (this.random * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.random / 2 ** 31;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return reply(401, { error: 'BAD_KEY' });
    if (this.faultRate > 0 && this.nextRandom() < this.faultRate) return reply(503, { error: 'TRY_LATER' });
    const url = new URL(req.url ?? '/', 'http://postbox');
    const body =
      chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : undefined;
    if (req.method === 'POST' && url.pathname === '/v1/messages') return this.send(body, reply);
    if (req.method === 'GET' && url.pathname === '/v1/reports') {
      const limit = Math.max(1, Math.min(1000, Number(url.searchParams.get('limit') ?? 100)));
      return reply(200, { reports: this.reports.slice(0, limit), more: this.reports.length > limit });
    }
    if (req.method === 'POST' && url.pathname === '/v1/reports/ack') {
      const ids = new Set((body as { reportIds?: string[] } | undefined)?.reportIds ?? []);
      this.reports = this.reports.filter((r) => !ids.has(r.reportId));
      return reply(204);
    }
    if (req.method === 'GET' && url.pathname === '/v1/account') return reply(200, { ok: true });
    return reply(404, { error: 'NOT_FOUND' });
  }

  private send(
    body: unknown,
    reply: (status: number, body?: unknown, headers?: Record<string, string>) => void,
  ): void {
    const messages = (body as { messages?: PostboxMessage[] } | undefined)?.messages;
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_PER_CALL)
      return reply(400, { error: `messages: 1 to ${MAX_PER_CALL}` });
    const now = Date.now();
    this.recent = this.recent.filter((at) => now - at < 1000);
    if (this.rateLimit > 0 && this.recent.length >= this.rateLimit)
      return reply(429, { error: 'SLOW_DOWN' }, { 'retry-after': '1' });
    this.recent.push(now);
    this.calls += 1;
    const results: PostboxResult[] = messages.map((m) => {
      if (!this.senders.has(m.from)) return { ref: m.ref, error: 'SENDER_NOT_REGISTERED' };
      const id = randomUUID();
      this.receivedByTo.set(m.to, this.received(m.to) + 1);
      const failed = this.taken++ % (this.mix.delivered + this.mix.failed) >= this.mix.delivered;
      this.reports.push({
        reportId: randomUUID(),
        id,
        ref: m.ref,
        status: failed ? 'failed' : 'delivered',
        code: failed ? 'NO_SUCH_HANDSET' : 'OK',
        at: new Date().toISOString(),
      });
      return { ref: m.ref, id };
    });
    reply(200, { results });
  }
}
