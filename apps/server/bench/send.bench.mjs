// Bench of the send path over HTTP: POST /v1/messages with 1,000 recipients (COMM SMS; AD LMS with 10% of the
// recipients on the 080 list), as a dry run and stored. Prints one JSON line per case.
//
// It runs the built server (NestJS needs decorator metadata, which tsx does not emit):
//   npx --yes pnpm@10.34.8 --filter @munja/server... build
//   node apps/server/bench/send.bench.mjs                       # embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/server/bench/send.bench.mjs
// On PostgreSQL it creates and drops a scratch database. The dispatcher is off: this measures accepting only.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const { createApp } = require(join(here, '..', 'dist', 'app.factory.js'));
const { Client } = require('pg');
const { request } = require('undici');

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const RECIPIENTS = 1000;

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

const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
const operatorKey = `mk_op_bench_${randomBytes(16).toString('hex')}`;
const app = await createApp({
  env: {
    PORT: '0',
    LOG_LEVEL: 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_DISPATCH: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    MUNJA_PGLITE_DIR: 'memory://',
    DATABASE_URL: scratch?.url,
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
  await call('POST', '/v1/opt-out/service', key, { companyName: '벤치상사' });
  await call('POST', `/v1/projects/${project.id}/opt-out/service/complete`, operatorKey, {
    number080: '0801234567',
  });
  const to = (i) => `0109${String(i).padStart(7, '0')}`;
  for (let i = 0; i < RECIPIENTS; i += 10)
    await call('POST', '/v1/opt-out/blocklist', key, { number: to(i) });
  const messages = Array.from({ length: RECIPIENTS }, (_, i) => ({ to: to(i) }));

  const cases = [
    ['COMM SMS', { from: '0212345678', content: '안녕하세요 고객님', messages }],
    [
      'AD LMS, 10% blocked',
      { from: '0212345678', contentType: 'AD', content: '봄 세일 '.repeat(20), messages },
    ],
  ];
  for (const [name, body] of cases) {
    for (const dryRun of [true, false]) {
      const path = `/v1/messages${dryRun ? '?dryRun=true' : ''}`;
      await call('POST', path, key, body); // warm-up
      const started = performance.now();
      for (let round = 0; round < ROUNDS; round++) await call('POST', path, key, body);
      const msPerRequest = (performance.now() - started) / ROUNDS;
      console.log(
        JSON.stringify({
          bench: 'send-1000-recipients',
          database: scratch ? 'postgres' : 'pglite',
          case: name,
          dryRun,
          rounds: ROUNDS,
          msPerRequest: Number(msPerRequest.toFixed(1)),
          recipientsPerSecond: Math.round((RECIPIENTS * 1000) / msPerRequest),
        }),
      );
    }
  }
} finally {
  await app.close();
  await scratch?.drop();
}
