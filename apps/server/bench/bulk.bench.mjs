// Bench of bulk sends by CSV over HTTP: POST /v1/messages/bulk with a 100,000-row file, timed from the first
// byte sent to the 202 (read, planned, stored, committed). Prints one JSON line per case.
//
// Cases: COMM with one content for all (a bare `to` column); COMM with a content per row (personalised, every
// row planned on its own); AD (labels, one 080 block-list query per chunk, 1% of the recipients blocked).
//
// It runs the built server (NestJS needs decorator metadata, which tsx does not emit):
//   npx --yes pnpm@10.34.8 --filter @munja/server... build
//   node apps/server/bench/bulk.bench.mjs                       # embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/server/bench/bulk.bench.mjs
// ROWS (default 100000), ROUNDS (default 3), CASES (comma list of case names), MUNJA_SERVER_DIST (another build).
// Profile: node --cpu-prof --cpu-prof-dir=/tmp/prof apps/server/bench/bulk.bench.mjs, then bench/profile-top.mjs.
// On PostgreSQL it creates and drops a scratch database. The dispatcher is off: this measures accepting only.
import { Blob, Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const dist = process.env.MUNJA_SERVER_DIST ?? join(here, '..', 'dist');
const { createApp } = require(join(dist, 'app.factory.js'));
const { Client } = require('pg');
const { request, FormData } = require('undici');

const ROWS = Number(process.env.ROWS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CASES = process.env.CASES?.split(',');

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

/** 010-9xxx-xxxx numbers; `round` shifts them so each round sends to other recipients. */
const to = (i) => `0109${String(i).padStart(7, '0')}`;

function csvOf(kind) {
  const lines = [kind === 'personal' ? 'to,content' : 'to'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(kind === 'personal' ? `${to(i)},"${i}번 고객님, 주문하신 상품이 발송되었습니다"` : to(i));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
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
  const bulk = async (key, fields, csv) => {
    const form = new FormData();
    form.append('request', JSON.stringify(fields));
    form.append('recipients', new Blob([csv], { type: 'text/csv' }), 'recipients.csv');
    const response = await request(`${base}/v1/messages/bulk`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    const text = await response.body.text();
    if (response.statusCode !== 202) throw new Error(`bulk: ${response.statusCode} ${text.slice(0, 500)}`);
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
  const blocked = Math.floor(ROWS / 100);
  if (!CASES || CASES.includes('ad')) {
    for (let i = 0; i < ROWS && i / 100 < blocked; i += 100) {
      await call('POST', '/v1/opt-out/blocklist', key, { number: to(i) });
    }
  }

  const cases = [
    ['comm', { from: '0212345678', content: '안녕하세요 고객님, 정기 점검 안내입니다' }, csvOf('plain')],
    ['personal', { from: '0212345678', content: '기본 내용' }, csvOf('personal')],
    ['ad', { from: '0212345678', contentType: 'AD', content: '봄 세일 '.repeat(20) }, csvOf('plain')],
  ].filter(([name]) => !CASES || CASES.includes(name));
  for (const [name, fields, csv] of cases) {
    await bulk(key, fields, csv); // warm-up
    const times = [];
    let answer;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      answer = await bulk(key, fields, csv);
      times.push(performance.now() - started);
    }
    const best = Math.min(...times);
    const median = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    console.log(
      JSON.stringify({
        bench: 'bulk-csv',
        database: scratch ? 'postgres' : 'pglite',
        case: name,
        rows: ROWS,
        fileBytes: csv.length,
        accepted: answer.accepted,
        rejected: answer.rejected,
        rounds: ROUNDS,
        msMedian: Math.round(median),
        msBest: Math.round(best),
        recipientsPerSecondMedian: Math.round((ROWS * 1000) / median),
        recipientsPerSecondBest: Math.round((ROWS * 1000) / best),
      }),
    );
  }
} finally {
  await app.close();
  await scratch?.drop();
}
