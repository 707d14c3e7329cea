// Bench of the history search (GET /v1/messages) at volume, on PostgreSQL: ROWS messages (default 2,000,000)
// of one project, plus a tenth as many of another, spread over 30 daily partitions (synthetic, see
// src/retention/synthetic-history.ts), inserted with INSERT … SELECT generate_series, then VACUUM ANALYZE.
// Each case is asked REQUESTS times (default 300, after 20 warm-up requests) one at a time over HTTP, through the
// whole service (auth, validation, query, 100 rows to JSON).
//
// Prints JSON lines: the data set (rows, seconds to generate), then per case p50/p95/p99/max in ms and the
// average items per page, then the machine's load average (the machine is shared: read figures with it).
//
// It runs the built server (NestJS needs decorator metadata):
//   npx --yes pnpm@10.34.8 --filter @munja/server build
//   flock /tmp/munja-heavy.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node apps/server/bench/history.bench.mjs
// ROWS and REQUESTS change the load; MUNJA_SERVER_DIST points at another build of the server.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const dist = resolve(process.env.MUNJA_SERVER_DIST ?? join(here, '..', 'dist'));
const { createApp } = require(join(dist, 'app.factory.js'));
const { fillHistory, partitionDays, syntheticRecipient } = require(
  join(dist, 'retention', 'synthetic-history.js'),
);
const { ProjectsService } = require(join(dist, 'projects', 'projects.service.js'));
const { DataSource } = require('typeorm');
const { Client } = require('pg');
const { request } = require('undici');

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const WARM_UP = 20;
const DAYS = 30;
const END = new Date('2026-03-02T01:00:00Z');
const print = (line) => console.log(JSON.stringify(line));

if (!process.env.DATABASE_URL) {
  console.error(
    'history.bench.mjs needs DATABASE_URL (a PostgreSQL server): it builds a scratch database there',
  );
  process.exit(2);
}

/** Runs one statement on the server's own database (CREATE / DROP DATABASE). */
async function onServer(statement) {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 100) / 100;

const database = `munja_bench_history_${randomBytes(4).toString('hex')}`;
await onServer(`CREATE DATABASE ${database}`);
const databaseUrl = new URL(process.env.DATABASE_URL);
databaseUrl.pathname = `/${database}`;
const operatorKey = `mk_op_bench_${randomBytes(16).toString('hex')}`;
const app = await createApp({
  env: {
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    DATABASE_URL: databaseUrl.toString(),
    MUNJA_DISPATCH: 'false',
    MUNJA_WEBHOOKS: 'false',
    MUNJA_RETENTION: 'false',
  },
  clock: { now: () => END },
  shutdownHooks: false,
});
try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const db = app.get(DataSource);
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  // Set up through the service (no timing here); only the searches go over HTTP.
  const projects = app.get(ProjectsService);
  const project = await projects.create('bench');
  const other = await projects.create('other');
  const { key } = await projects.createKey(project.id, 'bench');
  const authorization = { Authorization: `Bearer ${key}` };
  /** One search over HTTP: its page, refused answers stop the bench. */
  const search = async (path) => {
    const response = await request(base + path, { headers: authorization });
    const page = await response.body.json();
    if (response.statusCode !== 200)
      throw new Error(`GET ${path}: ${response.statusCode} ${JSON.stringify(page)}`);
    return page;
  };

  const started = performance.now();
  await partitionDays(db, END, DAYS);
  await fillHistory(db, {
    projectId: other.id,
    rows: Math.round(ROWS / 10),
    days: DAYS,
    end: END,
    first: ROWS,
  });
  await fillHistory(db, { projectId: project.id, rows: ROWS, days: DAYS, end: END });
  await db.query('VACUUM ANALYZE messages');
  const [{ partitions }] = await db.query(
    `SELECT count(*)::int AS partitions FROM pg_inherits WHERE inhparent = 'messages'::regclass`,
  );
  print({
    bench: 'history',
    rows: ROWS + Math.round(ROWS / 10),
    projectRows: ROWS,
    partitions,
    generateSeconds: Math.round((performance.now() - started) / 100) / 10,
  });

  // A cursor deep in the range: the first page of the fifth day back.
  const deep = await search('/v1/messages?requestTimeTo=2026-02-25T00:00:00Z&limit=1');
  let recipient = 0;
  const cases = [
    ['last 30 days, newest page', () => '/v1/messages'],
    ['a later page (cursor)', () => `/v1/messages?cursor=${deep.nextCursor}`],
    ['one day', () => '/v1/messages?requestTimeFrom=2026-02-20T00:00:00Z&requestTimeTo=2026-02-21T00:00:00Z'],
    // A different recipient each time, so no page is answered from a warm cache of the one before.
    ['one recipient', () => `/v1/messages?to=${syntheticRecipient((recipient += 7))}`],
    ['rare calling number (1 %)', () => '/v1/messages?from=02-1234-5670'],
    ['type INTL (1 %)', () => '/v1/messages?type=INTL'],
    ['status READY (1 %)', () => '/v1/messages?status=READY'],
    ['status PROCESSING + type MMS', () => '/v1/messages?status=PROCESSING&type=MMS'],
    ['type LMS, page of 1000', () => '/v1/messages?type=LMS&limit=1000'],
  ];
  for (const [name, path] of cases) {
    for (let i = 0; i < WARM_UP; i++) await search(path());
    const times = [];
    let items = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      const page = await search(path());
      times.push(performance.now() - t0);
      items += page.items.length;
    }
    times.sort((a, b) => a - b);
    print({
      case: name,
      requests: REQUESTS,
      p50Ms: round(quantile(times, 0.5)),
      p95Ms: round(quantile(times, 0.95)),
      p99Ms: round(quantile(times, 0.99)),
      maxMs: round(times[times.length - 1]),
      itemsPerPage: Math.round(items / REQUESTS),
    });
  }
  print({ loadAverage: loadavg().map((load) => Math.round(load * 100) / 100) });
} finally {
  await app.close();
  await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
