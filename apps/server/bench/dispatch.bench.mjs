// Bench of dispatch at volume: MESSAGES (default 10,000; 1,000 recipients per send request) are queued over
// HTTP with the dispatcher paused, then the dispatcher starts and sends them to the simulator running in its
// own process (the CLI), and the simulator's SENS results are polled back until every message is COMPLETED.
//
// Prints one JSON line per run:
//   dispatchPerSecond  messages taken by the vendor (SENT) per second, from the dispatcher's start
//   endToEndSeconds    from the dispatcher's start until every message was COMPLETED (results polled back)
//   loadAverage        the machine's 1/5/15-minute load at the end (the machine is shared: read figures with it)
// and the simulator's exactly-once counters (each recipient received once).
//
// It runs the built server (NestJS needs decorator metadata, which tsx does not emit):
//   npx --yes pnpm@10.34.8 --filter @munja/server... build
//   node apps/server/bench/dispatch.bench.mjs                       # embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node apps/server/bench/dispatch.bench.mjs
// MESSAGES (a multiple of 1,000), RUNS, MUNJA_DISPATCH_BATCH, MUNJA_DISPATCH_WORKERS, MUNJA_REPORT_POLL_MS (200 here;
// the service's default is 2000) and SENS_CONCURRENCY (the SENS plugin's `concurrency`) change the load;
// BENCH_CPU_PROF=<path prefix> profiles this process (the server) over the dispatch window of each run (with
// BENCH_CPU_PROF_UNTIL=completed: to the last COMPLETED, the reports' path too), SIM_CPU_PROF=<dir> the simulator process; read them with bench/profile-top.mjs. BENCH_PHASES=1 adds the wall
// time spent in each step (claim, vendor send, record...).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
// MUNJA_SERVER_DIST: another build of the server (e.g. `tsc -p tsconfig.build.json --outDir bench-build/dist`)
const dist = process.env.MUNJA_SERVER_DIST ?? join(here, '..', 'dist');
const { createApp } = require(join(dist, 'app.factory.js'));
const { Dispatcher } = require(join(dist, 'dispatch', 'dispatcher.js'));
const { MessageQueue } = require(join(dist, 'lifecycle', 'message-queue.js'));
const { ReportStore } = require(join(dist, 'reports', 'report-store.js'));
const { SensProvider } = require('@munja/provider-sens');
const { DataSource } = require('typeorm');
const { SENS_DEFAULTS, DEFAULT_OMNI_CREDENTIALS } = require('@munja/simulator');
const { Client } = require('pg');
const { request } = require('undici');

const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 1);
const PER_REQUEST = 1000;
const CALLING_NUMBER = '0212345678';

/** The simulator CLI in a child process; resolves once it printed its ready line. */
async function startSimulatorProcess() {
  const cli = join(dirname(require.resolve('@munja/simulator')), 'cli.js');
  const profile = process.env.SIM_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SIM_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, cli, '--port', '0', '--quiet', '--sens-calling-numbers', CALLING_NUMBER],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // never outlive this process, even when it fails
  process.once('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line));
    });
  });
  return {
    url: ready.url,
    pid: child.pid,
    counters: async () => (await (await request(`${ready.url}/_sim/counters`)).body.json()).sens,
    reset: () => request(`${ready.url}/_sim/sens/reset`, { method: 'POST' }).then((r) => r.body.dump()),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

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

/**
 * BENCH_PHASES=1: wall time spent inside each step of the dispatch path (summed over concurrent calls, so it
 * shows where the workers wait — database or vendor — which a CPU profile of this process cannot).
 */
const phases = new Map();
if (process.env.BENCH_PHASES) {
  const timed = (proto, method, name) => {
    const original = proto[method];
    proto[method] = async function (...args) {
      const t0 = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const p = phases.get(name) ?? { calls: 0, ms: 0 };
        p.calls += 1;
        p.ms += performance.now() - t0;
        phases.set(name, p);
      }
    };
  };
  timed(MessageQueue.prototype, 'claim', 'claim');
  timed(MessageQueue.prototype, 'record', 'record');
  timed(ReportStore.prototype, 'applyEarlyReports', 'applyEarlyReports');
  timed(ReportStore.prototype, 'apply', 'applyReports');
  timed(SensProvider.prototype, 'send', 'sens.send');
  timed(SensProvider.prototype, 'pollReports', 'sens.pollReports');
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/**
 * CPU used by each process taking part — this server, the simulator, and the database server's backends
 * serving this bench's database (PostgreSQL; PGlite runs inside this process) — so a run shows which one
 * the 2 cores were spent on.
 */
async function cpuCounters(db, simulatorPid) {
  const backends = scratch
    ? (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).map(
        (r) => r.pid,
      )
    : [];
  const usage = process.cpuUsage();
  return {
    server: (usage.user + usage.system) / 1e6,
    simulator: cpuSecondsOf(simulatorPid) ?? 0,
    backends: new Map(backends.map((pid) => [pid, cpuSecondsOf(pid) ?? 0])),
  };
}

function cpuSpent(before, after) {
  let database = 0;
  for (const [pid, seconds] of after.backends) database += seconds - (before.backends.get(pid) ?? 0);
  const round = (n) => +n.toFixed(2);
  return {
    server: round(after.server - before.server),
    simulator: round(after.simulator - before.simulator),
    ...(scratch ? { postgres: round(database) } : {}),
  };
}

const snapshot = (map) =>
  Object.fromEntries([...map].map(([name, p]) => [name, { calls: p.calls, ms: Math.round(p.ms) }]));

const simulator = await startSimulatorProcess();
const scratch = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
const operatorKey = `mk_op_bench_${randomBytes(16).toString('hex')}`;
const app = await createApp({
  env: {
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    MUNJA_PGLITE_DIR: 'memory://',
    DATABASE_URL: scratch?.url,
    MUNJA_REPORT_POLL_MS: process.env.MUNJA_REPORT_POLL_MS ?? '200',
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
          ...(process.env.SENS_CONCURRENCY ? { concurrency: Number(process.env.SENS_CONCURRENCY) } : {}),
        },
      },
      { package: '@munja/provider-omni', config: { ...DEFAULT_OMNI_CREDENTIALS, baseUrl: simulator.url } },
    ]),
  },
  shutdownHooks: false,
});
try {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const dispatcher = app.get(Dispatcher);
  const db = app.get(DataSource);
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
  const number = await call('POST', '/v1/calling-numbers', key, {
    number: CALLING_NUMBER,
    method: 'DOCUMENT',
  });
  await call('POST', `/v1/projects/${project.id}/calling-numbers/${number.id}/approve`, operatorKey, {});

  for (let run = 1; run <= RUNS; run++) {
    // queue everything with the dispatcher paused, so the figure is dispatch alone
    await dispatcher.stop();
    await simulator.reset();
    // a message is open while it has a queue row or awaits its report: two small tables, not a count over
    // `messages` every 20 ms (that scan was a good part of the database CPU the run reported)
    const open = async () =>
      (
        await db.query(
          `SELECT ((SELECT count(*) FROM message_queue) + (SELECT count(*) FROM awaiting_reports))::int AS n`,
        )
      )[0].n;
    const to = (i) => `0108${String(i).padStart(7, '0')}`;
    const queueStarted = performance.now();
    for (let r = 0; r < MESSAGES / PER_REQUEST; r++) {
      const messages = Array.from({ length: PER_REQUEST }, (_, i) => ({ to: to(r * PER_REQUEST + i) }));
      await call('POST', '/v1/messages', key, {
        from: CALLING_NUMBER,
        content: '안녕하세요 고객님',
        messages,
      });
    }
    const queueMs = performance.now() - queueStarted;

    phases.clear();
    const profiler = process.env.BENCH_CPU_PROF ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpuBefore = await cpuCounters(db, simulator.pid);
    const sentBefore = dispatcher.stats.sent;
    const started = performance.now();
    dispatcher.start();
    while (dispatcher.stats.sent - sentBefore < MESSAGES) await sleep(2);
    const dispatchMs = performance.now() - started;
    const dispatchPhases = snapshot(phases);
    const cpuAtSent = await cpuCounters(db, simulator.pid);
    const stopProfile = async (window) => {
      // claims, sends and records (and the reports polled back meanwhile), without start-up and queueing
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(`${process.env.BENCH_CPU_PROF}.run${run}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
      console.error(`profile of the ${window} window: ${process.env.BENCH_CPU_PROF}.run${run}.cpuprofile`);
    };
    const profileUntilCompleted = process.env.BENCH_CPU_PROF_UNTIL === 'completed';
    if (profiler && !profileUntilCompleted) await stopProfile('dispatch (to the last SENT)');
    while ((await open()) > 0) await sleep(20);
    const endToEndMs = performance.now() - started;
    const cpuAtCompleted = await cpuCounters(db, simulator.pid);
    if (profiler && profileUntilCompleted) await stopProfile('whole (to the last COMPLETED)');
    const counters = await simulator.counters();
    console.log(
      JSON.stringify({
        bench: 'dispatch',
        run,
        database: scratch ? 'postgres' : 'pglite',
        messages: MESSAGES,
        batch: Number(process.env.MUNJA_DISPATCH_BATCH ?? 500),
        workers: Number(process.env.MUNJA_DISPATCH_WORKERS ?? 2),
        queuedPerSecond: Math.round((MESSAGES * 1000) / queueMs),
        dispatchSeconds: +(dispatchMs / 1000).toFixed(3),
        dispatchPerSecond: Math.round((MESSAGES * 1000) / dispatchMs),
        endToEndSeconds: +(endToEndMs / 1000).toFixed(3),
        completedPerSecond: Math.round((MESSAGES * 1000) / endToEndMs),
        vendorSendCalls: counters.sendCalls,
        vendorRequests: counters.requests,
        vendorMessages: counters.messages,
        duplicateRecipients: counters.duplicateRecipients,
        loadAverage: loadavg().map((n) => +n.toFixed(2)),
        // CPU seconds per process over the dispatch window, and over the whole run to the last COMPLETED
        dispatchCpuSeconds: cpuSpent(cpuBefore, cpuAtSent),
        endToEndCpuSeconds: cpuSpent(cpuBefore, cpuAtCompleted),
        ...(phases.size > 0 ? { dispatchPhases, endToEndPhases: snapshot(phases) } : {}),
      }),
    );
  }
} finally {
  await app.close();
  await scratch?.drop();
  await simulator.stop();
}
