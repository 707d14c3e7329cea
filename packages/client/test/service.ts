import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../../apps/server/src/common/clock';
import { sendingProject, type SendingProject } from '../../../apps/server/test/messages-fixtures';
import { startTestApp, type TestApp } from '../../../apps/server/test/test-app';

export { CALLING_NUMBER } from '../../../apps/server/test/messages-fixtures';

/**
 * The real service (apps/server's createApp) on the embedded PGlite a user gets from `npm start`, even when the
 * suite runs with DATABASE_URL (the server's own tests cover PostgreSQL), with the system clock.
 */
export async function startService(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; p: SendingProject }> {
  const t = await startTestApp({
    clock: systemClock,
    database: 'pglite',
    env: { MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true', ...env },
  });
  try {
    return { t, p: await sendingProject(t, 'Client') };
  } catch (error) {
    await t.close();
    throw error;
  }
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A loopback HTTP proxy in front of the service that answers the first `refusals` requests itself (a status and
 * a Retry-After, as a loaded service or a gateway would) and forwards the others.
 */
export class RefusingProxy {
  readonly seen: SeenRequest[] = [];
  url = '';
  private server: Server | undefined;

  constructor(
    private readonly target: string,
    private readonly refusals: { status: number; retryAfter?: string }[],
  ) {}

  async start(): Promise<this> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const refusal = this.refusals[this.seen.length - 1];
      if (refusal) {
        req.resume();
        req.on('end', () => {
          res.writeHead(refusal.status, {
            'content-type': 'application/json',
            ...(refusal.retryAfter === undefined ? {} : { 'retry-after': refusal.retryAfter }),
          });
          res.end(JSON.stringify({ statusCode: refusal.status, code: 'BUSY', message: 'try again' }));
        });
        return;
      }
      const forward = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
