// The service CPU each kind of request costs an API-only service process, against the bare Fastify server's, under
// the same 64-connection load: how much of a send is the framework's floor, how much its own work.
//   node bench/route-costs.mjs [--rounds 2] [--seconds 5] [--build dist]
// Per round: `ceiling_http` (the bare server in its own process), then on one service process and database:
// GET /health/live (through Nest's pipeline), a dry-run send, and `single_send`'s send (the direct route).
// CPU from /proc/<pid>/stat of the service; the bare server's as `ceiling_http` reports it.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bareHttpCeiling } from './ceilings/http.mjs';
import { loadAfterWarmUp } from './load.mjs';
import { withScratchService } from './scratch-service.mjs';
import { startSimulatorProcess } from './simulator-process.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '5' },
    build: { type: 'string', default: 'dist' },
  },
});
const seconds = Number(values.seconds);

/** The routes measured, each as the load's request options for a service at `url` and its project. */
function routes(url, project) {
  const auth = { authorization: `Bearer ${project.key}` };
  const send = {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      from: project.from,
      content: '[인증번호] 123456',
      messages: [{ to: '01077778888' }],
    }),
  };
  return {
    'GET /health/live': { url: `${url}/health/live`, headers: auth },
    'POST /v1/messages?dryRun=true': { url: `${url}/v1/messages?dryRun=true`, ...send },
    'POST /v1/messages': { url: `${url}/v1/messages`, ...send },
  };
}

const simulator = await startSimulatorProcess();
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    const bare = await bareHttpCeiling({ seconds, warmUpSeconds: 1, connections: 64 });
    console.log(
      JSON.stringify({
        round,
        route: 'bare Fastify (own process)',
        requestsPerSecond: Math.round(bare.requestsPerSecond),
        p99Ms: bare.p99Ms,
        cpuMsPerRequest: bare.cpuMsPerRequest,
      }),
    );
    const settings = { simulatorUrl: simulator.url, build: values.build };
    await withScratchService(settings, async ({ service, project }) => {
      for (const [route, request] of Object.entries(routes(service.url, project))) {
        const result = await loadAfterWarmUp(
          { ...request, connections: 64 },
          { seconds, warmUpSeconds: 1, pid: service.pid },
        );
        console.log(
          JSON.stringify({
            round,
            route,
            requestsPerSecond: Math.round(result.requestsPerSecond),
            p99Ms: result.p99Ms,
            non2xx: result.non2xx,
            errors: result.errors,
            cpuMsPerRequest: result.cpuMsPerRequest,
            load: loadavg()[0].toFixed(1),
          }),
        );
      }
    });
  }
} finally {
  await simulator.stop();
}
