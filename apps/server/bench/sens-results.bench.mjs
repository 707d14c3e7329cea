// CPU per SENS result lookup, the per-message request that closes a SENS message (SENS answers one message's
// result per GET /messages/{messageId}; its list by requestId carries no result): MESSAGES (default 10,000) are
// sent to the simulator CLI in its own process through the SENS plugin, then their results are polled back
// 500 at a time as the report poller does. Prints lookups/s and the CPU microseconds per lookup of this process
// (the plugin: signing, undici, parsing) and of the simulator (process.cpuUsage, /proc/<pid>/stat).
//   node apps/server/bench/sens-results.bench.mjs       (after building the packages)
// CONCURRENCY: the plugin's `concurrency` (requests in flight, default 8). BENCH_CPU_PROF=<file> profiles this
// process over the lookups (read it with bench/profile-top.mjs), SIM_CPU_PROF=<dir> the simulator process.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';

const require = createRequire(new URL('../package.json', import.meta.url));
const { SensProvider } = require('@munja/provider-sens');
const { SENS_DEFAULTS } = require('@munja/simulator');

const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const BATCH = 500;
const cli = join(dirname(require.resolve('@munja/simulator')), 'cli.js');
const simProfile = process.env.SIM_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SIM_CPU_PROF}`]
  : [];
const child = spawn(
  process.execPath,
  [...simProfile, cli, '--port', '0', '--quiet', '--sens-calling-numbers', '0212345678'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
process.once('exit', () => child.kill('SIGKILL'));
const ready = await new Promise((resolve) =>
  createInterface({ input: child.stdout }).on(
    'line',
    (line) => line.startsWith('{') && resolve(JSON.parse(line)),
  ),
);
/** CPU microseconds (user + system) a process has used, from /proc (clock ticks of 10 ms) */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};
const quiet = { warn() {}, info() {}, error() {}, debug() {} };
const provider = new SensProvider(
  {
    serviceId: SENS_DEFAULTS.serviceId,
    accessKey: SENS_DEFAULTS.accessKey,
    secretKey: SENS_DEFAULTS.secretKey,
    baseUrl: ready.url,
    concurrency: Number(process.env.CONCURRENCY ?? 8),
    timeoutMs: 10_000,
  },
  { now: () => new Date(), logger: quiet },
);
const messages = Array.from({ length: MESSAGES }, (_, i) => ({
  ref: `m${i}`,
  channel: 'SMS',
  to: `0108${String(i).padStart(7, '0')}`,
  from: '0212345678',
  content: '안녕하세요 고객님',
  contentType: 'COMM',
  countryCode: '82',
}));
const outcomes = [];
for (let i = 0; i < MESSAGES; i += BATCH)
  outcomes.push(...(await provider.send(messages.slice(i, i + BATCH))));
const pending = outcomes
  .filter((o) => o.accepted)
  .map((o) => ({
    ref: o.ref,
    vendorMessageId: o.vendorMessageId,
    vendorRequestId: o.vendorRequestId,
    sentAt: new Date(),
  }));
await sleep(500);
const profiler = process.env.BENCH_CPU_PROF ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const ownBefore = process.cpuUsage();
const simulatorBefore = cpuOf(child.pid);
const started = performance.now();
let reports = 0;
for (let i = 0; i < pending.length; i += BATCH)
  reports += (await provider.pollReports({ pending: pending.slice(i, i + BATCH), limit: BATCH })).reports
    .length;
const own = process.cpuUsage(ownBefore);
const simulator = cpuOf(child.pid) - simulatorBefore;
const ms = performance.now() - started;
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(process.env.BENCH_CPU_PROF, JSON.stringify(profile));
  profiler.disconnect();
}
console.log(
  JSON.stringify({
    bench: 'sens-results',
    lookups: pending.length,
    reports,
    lookupsPerSecond: Math.round((pending.length * 1000) / ms),
    pluginCpuMicrosecondsPerLookup: Math.round((own.user + own.system) / pending.length),
    simulatorCpuMicrosecondsPerLookup: Math.round(simulator / pending.length),
  }),
);
await provider.close();
child.kill();
// the simulator writes its profile on a clean exit (SIGTERM from kill() above; --cpu-prof needs process.exit)
await new Promise((resolve) => child.once('exit', resolve));
