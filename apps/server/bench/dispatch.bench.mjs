// Bench of dispatch: 10,000 messages (10 requests of 1,000 recipients) queued, then claimed, sent to the
// simulator's SENS and closed by its polled results. Prints one JSON line: how long until every message was
// taken by the vendor (SENT) and until every one was COMPLETED, and the simulator's counters (each message
// received exactly once).
//
// It runs the built server (NestJS needs decorator metadata, which tsx does not emit):
//   npx --yes pnpm@10.34.8 --filter @munja/server... build
//   node apps/server/bench/dispatch.bench.mjs                       # embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/server/bench/dispatch.bench.mjs
// MESSAGES (multiple of 1,000), MUNJA_DISPATCH_BATCH and MUNJA_DISPATCH_WORKERS change the load.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { createApp } = require(join(here, '..', 'dist', 'app.factory.js'));
const { DataSource } = require('typeorm');
const { startSimulator, SENS_DEFAULTS, DEFAULT_OMNI_CREDENTIALS } = require('@munja/simulator');
const { Client } = require('pg');
const { request } = require('undici');

const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const PER_REQUEST = 1000;

async function scratchDatabase(serverUrl) {
  const name = `munja_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const simulator = await startSimulator({ sens: { callingNumbers: ['0212345678'] } });
const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
const operatorKey = `mk_op_bench_${randomBytes(16).toString('hex')}`;
const app = await createApp({
  env: {
    PORT: '0',
    LOG_LEVEL: 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    MUNJA_PGLITE_DIR: 'memory://',
    DATABASE_URL: scratch?.url,
    MUNJA_REPORT_POLL_MS: '200',
    MUNJA_DISPATCH_BATCH: process.env.MUNJA_DISPATCH_BATCH,
    MUNJA_DISPATCH_WORKERS: process.env.MUNJA_DISPATCH_WORKERS,
    MUNJA_PLUGINS: JSON.stringify([
      {
        package: '@munja/provider-sens',
        config: {
          serviceId: SENS_DEFAULTS.serviceId,
          accessKey: SENS_DEFAULTS.accessKey,
          secretKey: SENS_DEFAULTS.secretKey,
          baseUrl: simulator.url,
        },
      },
      { package: '@munja/provider-omni', config: { ...DEFAULT_OMNI_CREDENTIALS, baseUrl: simulator.url } },
    ]),
  },
  shutdownHooks: false,
});
try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const call = async (method, path, key, body) => {
    const response = await request(base + path, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
    return JSON.parse(text);
  };
  const project = await call('POST', '/v1/projects', operatorKey, { name: 'bench' });
  const key = (await call('POST', `/v1/projects/${project.id}/keys`, operatorKey, { name: 'bench' })).key;
  const number = await call('POST', '/v1/calling-numbers', key, { number: '0212345678', method: 'DOCUMENT' });
  await call('POST', `/v1/projects/${project.id}/calling-numbers/${number.id}/approve`, operatorKey, {});

  const db = app.get(DataSource);
  const to = (i) => `0108${String(i).padStart(7, '0')}`;
  const started = performance.now();
  for (let r = 0; r < MESSAGES / PER_REQUEST; r++) {
    const messages = Array.from({ length: PER_REQUEST }, (_, i) => ({ to: to(r * PER_REQUEST + i) }));
    await call('POST', '/v1/messages', key, { from: '0212345678', content: '안녕하세요 고객님', messages });
  }
  const acceptedMs = performance.now() - started;
  let sentMs;
  for (;;) {
    const [row] = await db.query(
      `SELECT count(*) FILTER (WHERE vendor_message_id IS NOT NULL)::int AS sent,
              count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed FROM messages`,
    );
    if (sentMs === undefined && row.sent >= MESSAGES) sentMs = performance.now() - started;
    if (row.completed >= MESSAGES) break;
    await sleep(50);
  }
  const completedMs = performance.now() - started;
  const counters = simulator.sens.ctx.counters.snapshot();
  console.log(
    JSON.stringify({
      bench: 'dispatch',
      database: scratch ? 'postgres' : 'pglite',
      messages: MESSAGES,
      batch: Number(process.env.MUNJA_DISPATCH_BATCH ?? 500),
      workers: Number(process.env.MUNJA_DISPATCH_WORKERS ?? 2),
      acceptedMs: Math.round(acceptedMs),
      allSentMs: Math.round(sentMs),
      allCompletedMs: Math.round(completedMs),
      sentPerSecond: Math.round((MESSAGES * 1000) / sentMs),
      vendorMessages: counters.messages,
      duplicateRecipients: counters.duplicateRecipients,
    }),
  );
} finally {
  await app.close();
  await scratch?.drop();
  await simulator.stop();
}
