import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import { pino } from 'pino';
import { logRequests, redactUrl } from './logging';

describe('redactUrl', () => {
  it.each([
    ['/v1/opt-out/ars/ars_0123456789abcdefghijABCDEFGH/calls', '/v1/opt-out/ars/[redacted]/calls'],
    [
      '/v1/calling-numbers/9b2f8f0e-1111-4222-8333-444455556666',
      '/v1/calling-numbers/9b2f8f0e-1111-4222-8333-444455556666',
    ],
    ['/v1/files?token=secret', '/v1/files'],
    ['/v1/webhooks/sens/abcdefghijklmnopqrstuvwx', '/v1/webhooks/sens/[redacted]'],
    ['/v1/webhooks/sens/abcdefghijklmnopqrstuvw', '/v1/webhooks/sens/abcdefghijklmnopqrstuvw'],
    ['/health/ready', '/health/ready'],
    // a report secret of any characters, once it has the length MUNJA_REPORT_SECRET must have
    ['/v1/reports/sens/pa%2Bss!word*with(24)chars', '/v1/reports/sens/[redacted]'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('logRequests', () => {
  it('writes one line per answered request (not /health): method, redacted path, status, time', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const app = Fastify();
    logRequests(app, () => logger);
    app.get('/v1/opt-out/ars/:token/calls', async () => ({ ok: true }));
    app.get('/health/ready', async () => ({ ok: true }));
    app.get('/boom', async (_request, reply) => reply.code(503).send({ code: 'X' }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    await (await fetch(`${base}/v1/opt-out/ars/ars_0123456789abcdefghijABCDEFGH/calls?key=secret`)).text();
    await (await fetch(`${base}/health/ready`)).text();
    await (await fetch(`${base}/boom`, { headers: { authorization: 'Bearer mk_live_secret' } })).text();
    await app.close();

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'GET', url: '/v1/opt-out/ars/[redacted]/calls' },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0]!.responseTime).toBe('number');
    expect(lines[1]).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 503 } });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('ars_0123456789');
  });

  it('writes nothing below its level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify();
    logRequests(app, () => pino({ level: 'warn' }, sink));
    app.get('/ok', async () => ({ ok: true }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    await (await fetch(`${base}/ok`)).text();
    await app.close();
    expect(lines).toEqual([]);
  });
});
