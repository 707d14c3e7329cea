// The built service (`node apps/server/dist/main.js`) in its own process, as it runs in production: on the
// scratch PostgreSQL database (or embedded PGlite in memory), its SENS and OMNI plugins pointed at the simulator
// process. `dispatch: false` makes it an API-only process (MUNJA_DISPATCH=false).
import { randomBytes } from 'node:crypto';
import { startChild } from './child-process.mjs';
import { serverMain, simulatorDefaults } from './workspace.mjs';

export async function startServiceProcess({ databaseUrl, simulatorUrl, dispatch, main = serverMain }) {
  const { SENS_DEFAULTS, DEFAULT_OMNI_CREDENTIALS } = simulatorDefaults;
  const operatorKey = `mk_op_bench_${randomBytes(16).toString('hex')}`;
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    MUNJA_PGLITE_DIR: 'memory://',
    MUNJA_DISPATCH: String(dispatch),
    MUNJA_REPORT_POLL_MS: '200',
    MUNJA_WEBHOOKS: 'false',
    // The limiter runs on every request (its cost is in the figures) with a budget the load never reaches.
    MUNJA_RATE_LIMIT: '10000000',
    MUNJA_PLUGINS: JSON.stringify([
      {
        package: '@munja/provider-sens',
        config: {
          serviceId: SENS_DEFAULTS.serviceId,
          accessKey: SENS_DEFAULTS.accessKey,
          secretKey: SENS_DEFAULTS.secretKey,
          baseUrl: simulatorUrl,
        },
      },
      { package: '@munja/provider-omni', config: { ...DEFAULT_OMNI_CREDENTIALS, baseUrl: simulatorUrl } },
    ]),
  };
  // An unset DATABASE_URL selects embedded PGlite; the caller's own DATABASE_URL must not leak into it.
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = await startChild({
    name: 'service',
    // BENCH_SERVICE_CPU_PROF=<dir>: the service writes a V8 CPU profile there when it stops (read it with
    // apps/server/bench/profile-top.mjs)
    args: process.env.BENCH_SERVICE_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVICE_CPU_PROF}`, main]
      : [main],
    env: databaseUrl ? env : { ...env, DATABASE_URL: '' },
    ready: (line) => /Munja is running at (\S+)/.exec(line)?.[1],
  });
  return { url: child.ready, pid: child.pid, operatorKey, stop: child.stop };
}
