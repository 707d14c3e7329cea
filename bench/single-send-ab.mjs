// Single sends of two (or more) builds of the service, alternated under the same load, with the CPU each
// request costs the service process and PostgreSQL (the figures a shared machine's load moves least):
//   cp -r apps/server/dist apps/server/dist-base   # the build to compare against, before rebuilding
//   node bench/single-send-ab.mjs [--builds dist-base,dist] [--rounds 3] [--seconds 10] [--warm-up-seconds 20] [--ceiling] [--offered-rate N]
// Each round and build: a fresh PostgreSQL database, an API-only service process (node apps/server/<build>/
// main.js), `single_send`'s load (64 connections, after the bench's warm-up); `--ceiling` runs `ceiling_http` before
// each round; `--offered-rate N`
// then N sends a second on a fixed schedule (`single_send_fixed_rate_p99`'s load) on the same, warm process.
// PostgreSQL's CPU is that of the database's backends (/proc/<pid>/stat), so the server must run on this machine.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bareHttpCeiling } from './ceilings/http.mjs';
import { backendsCpuMs } from './cpu-time.mjs';
import { singleSendAtRateFigures, singleSendFigures } from './figures/single-send.mjs';
import { withScratchService } from './scratch-service.mjs';
import { startSimulatorProcess } from './simulator-process.mjs';

const { values } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist-base,dist' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    'warm-up-seconds': { type: 'string', default: '20' },
    ceiling: { type: 'boolean', default: false },
    'offered-rate': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const warmUpSeconds = Number(values['warm-up-seconds']);

/** CPU ms used so far by the backends of one database (those alive now) */
const backendsTotalMs = (database) => [...backendsCpuMs(database).values()].reduce((sum, ms) => sum + ms, 0);

const simulator = await startSimulatorProcess();
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    if (values.ceiling) {
      const http = await bareHttpCeiling({ seconds, warmUpSeconds, connections: 64 });
      console.log(JSON.stringify({ round, build: 'ceiling_http', ...http }));
    }
    for (const build of values.builds.split(',')) {
      const settings = { simulatorUrl: simulator.url, build };
      await withScratchService(settings, async ({ service, client, project, database }) => {
        // the backends' CPU over the whole load, warm-up included (the figure's own window excludes it)
        const before = backendsTotalMs(database);
        const [send, p50, p99] = await singleSendFigures(client, project, {
          seconds,
          warmUpSeconds,
          pid: service.pid,
        });
        const postgresMs = backendsTotalMs(database) - before;
        const [atRate] = values['offered-rate']
          ? await singleSendAtRateFigures(client, project, {
              offeredPerSecond: Number(values['offered-rate']),
              seconds,
              pid: service.pid,
            })
          : [];
        console.log(
          JSON.stringify({
            round,
            build,
            requestsPerSecond: Math.round(send.value),
            p50Ms: p50.value,
            p99Ms: p99.value,
            requests: send.requests,
            non2xx: send.non2xx,
            errors: send.errors,
            serviceCpuMsPerRequest: send.serviceCpuMsPerRequest,
            postgresCpuMsPerRequestWithWarmUp: Number(
              (postgresMs / (send.requests + send.warmUp.requests)).toFixed(3),
            ),
            warmUp: send.warmUp,
            ...(atRate && {
              fixedRate: {
                offeredPerSecond: atRate.offeredPerSecond,
                answeredPerSecond: atRate.answeredPerSecond,
                p50Ms: atRate.p50Ms,
                p99Ms: atRate.value,
                maxMs: atRate.maxMs,
                serviceCpuMsPerRequest: atRate.serviceCpuMsPerRequest,
              },
            }),
            load: loadavg()[0].toFixed(1),
          }),
        );
      });
    }
  }
} finally {
  await simulator.stop();
}
