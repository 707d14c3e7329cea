import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMainProcess, type MainProcess } from './main-process';
import { pgliteTemplateFile } from './pglite-template';
import { startTestApp, type TestApp } from './test-app';

function expectTooMany(
  answer: { status: number; headers: Record<string, string>; body: unknown },
  code: string,
) {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ statusCode: 429, code, message: expect.any(String) });
  expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
  expect(answer.headers['ratelimit-limit']).toMatch(/^\d+$/);
  expect(answer.headers['ratelimit-remaining']).toBe('0');
  expect(answer.headers['ratelimit-reset']).toMatch(/^\d+$/);
}

describe('rate limits (one process, in-process counters)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MUNJA_RATE_LIMIT: '5', MUNJA_RATE_LIMIT_WINDOW_MS: '60000', MUNJA_AUTH_FAILURE_LIMIT: '3' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After and RateLimit-* once a key has used its budget; other keys go on', async () => {
    const a = await t.createProject('A');
    const b = await t.createProject('B');
    for (let i = 0; i < 5; i++) {
      const ok = await t.http.get('/v1/project').set(t.bearer(a.apiKey)).expect(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(4 - i));
    }
    expectTooMany(await t.http.get('/v1/project').set(t.bearer(a.apiKey)), 'RATE_LIMITED');
    await t.http.get('/v1/project').set(t.bearer(b.apiKey)).expect(200);
  });

  it('counts failed authentications per address and then refuses before looking the key up', async () => {
    const wrong = () => t.http.get('/v1/project').set(t.bearer(`mk_live_${randomBytes(8).toString('hex')}`));
    for (let i = 0; i < 3; i++) expect((await wrong()).status).toBe(401);
    expectTooMany(await wrong(), 'TOO_MANY_FAILED_AUTHENTICATIONS');
    expectTooMany(await t.http.get('/v1/project'), 'TOO_MANY_FAILED_AUTHENTICATIONS');
  });
});

describe('timeouts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        MUNJA_IDLE_TIMEOUT_MS: '3000',
        MUNJA_HEADERS_TIMEOUT_MS: '3000',
        MUNJA_REQUEST_TIMEOUT_MS: '5000',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('cuts a client that announced 100 bytes and sent 10', async () => {
    const port = Number(new URL(t.url).port);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /v1/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":"x',
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const seconds = (Date.now() - started) / 1000;
    // Cut by the server (408 or a plain close), within the timeouts and Node's 1 s check, not after minutes.
    expect(seconds).toBeLessThan(30);
    if (answer) expect(answer).toMatch(/^HTTP\/1.1 408 /);
  });

  it('cuts a client that never finishes its headers', async () => {
    const port = Number(new URL(t.url).port);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    if (answer) expect(answer).toMatch(/^HTTP\/1.1 408 /);
  });
});

describe('two processes sharing one budget through Redis (REDIS_URL)', () => {
  const prefix = `munja-test-${randomBytes(6).toString('hex')}:`;
  const processes: MainProcess[] = [];
  let urls: string[] = [];

  beforeAll(async () => {
    const template = await pgliteTemplateFile();
    for (let i = 0; i < 2; i++) {
      processes.push(
        startMainProcess({
          DATABASE_URL: '',
          MUNJA_PGLITE_DIR: 'memory://',
          MUNJA_TEST_PGLITE_TEMPLATE: template,
          MUNJA_OPERATOR_KEY: `mk_op_redis_test_${randomBytes(12).toString('hex')}`,
          REDIS_URL: 'redis://127.0.0.1:6379',
          MUNJA_REDIS_PREFIX: prefix,
          MUNJA_RATE_LIMIT: '8',
          MUNJA_AUTH_FAILURE_LIMIT: '5',
        }),
      );
    }
    urls = await Promise.all(processes.map((p) => p.running));
  }, 600_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('a key with 8 requests per window gets 8 answers across both processes, then 429 from either', async () => {
    const key = `mk_live_${randomBytes(16).toString('hex')}`;
    const statuses: number[] = [];
    // unknown keys: each request also fails authentication, so these use the per-address budget (5) first
    for (let i = 0; i < 10; i++) {
      const answer = await fetch(`${urls[i % 2]}/v1/project`, {
        headers: { authorization: `Bearer ${key}` },
      });
      statuses.push(answer.status);
    }
    // 5 failures shared by both processes, then 429 (failed authentications) from the 6th on, whichever answers
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    // The per-key budget (8) is shared too: the 9th request with that key is refused by it.
    const ninth = await fetch(`${urls[0]}/health/live`, { headers: { authorization: `Bearer ${key}` } });
    expect(ninth.status).toBe(429);
    expect(((await ninth.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect(ninth.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
