// Single-recipient POST /v1/messages under 64 concurrent connections: the per-request cost of the whole
// stack (Fastify, NestJS pipes and guards, the send plan, one statement shared by the sends that arrive
// together), with p50/p99 latency, and the service process's CPU time per request (the figure that moves least
// with the machine's load). Measured after `warmUpSeconds` of the same load: a fresh process spends its first
// seconds compiling the path (V8 optimizes several hundred functions of it), and a service runs for days, not
// seconds. What the warm-up itself gave is printed beside the figure (docs/benchmarks.md, "A fresh process's
// first seconds").
import { fixedRateLoad } from '../fixed-rate.mjs';
import { loadAfterWarmUp, withCpuPerRequest } from '../load.mjs';
import { sortedPercentile } from '../percentiles.mjs';

/** The one-recipient send both loads repeat. */
function singleSend(project) {
  return {
    path: '/v1/messages',
    method: 'POST',
    headers: { authorization: `Bearer ${project.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      from: project.from,
      content: '[인증번호] 123456',
      messages: [{ to: '01077778888' }],
    }),
  };
}

export async function singleSendFigures(client, project, { seconds, warmUpSeconds, connections = 64, pid }) {
  const { path, ...send } = singleSend(project);
  const request = { url: client.baseUrl + path, connections, ...send };
  const { warmUp, cpuMsPerRequest, ...result } = await loadAfterWarmUp(request, {
    seconds,
    warmUpSeconds,
    pid,
  });
  // every answer an error is the bench's or the service's fault; no answer at all in a short window is only slowness
  if (result.ok === 0 && result.non2xx + result.errors > 0)
    throw new Error(`single sends: no 2xx answer (${JSON.stringify(result)})`);
  const common = {
    connections,
    seconds,
    requests: result.requests,
    non2xx: result.non2xx,
    errors: result.errors,
    warmUp: {
      seconds: warmUpSeconds,
      requests: warmUp.requests,
      requestsPerSecond: Math.round(warmUp.requestsPerSecond),
      p99Ms: warmUp.p99Ms,
    },
  };
  const cpu = cpuMsPerRequest === undefined ? {} : { serviceCpuMsPerRequest: cpuMsPerRequest };
  return [
    {
      figure: 'single_send',
      value: result.requestsPerSecond,
      unit: 'requests/s',
      target: 5000,
      ...common,
      ...cpu,
    },
    { figure: 'single_send_p50', value: result.p50Ms, unit: 'ms' },
    { figure: 'single_send_p99', value: result.p99Ms, unit: 'ms', target: 20, atMost: true },
  ];
}

const GENERATOR_WARM_UP_SECONDS = 2;

/**
 * The same send started `offeredPerSecond` times a second on a fixed schedule (bench/fixed-rate.mjs), each
 * latency from its scheduled start: what clients sending that many a second see, queueing in the service
 * included, with no saturation's queue of 64 waiting connections in it. Run on the process `singleSendFigures`
 * warmed, after 2 s of the same load that are not counted.
 */
export async function singleSendAtRateFigures(
  client,
  project,
  { offeredPerSecond, seconds, connections = 64, pid },
) {
  const load = { url: client.baseUrl, ...singleSend(project), rate: offeredPerSecond, connections };
  // the load generator's own first seconds (its HTTP client not yet compiled) are not the service's latency
  await fixedRateLoad({ ...load, seconds: GENERATOR_WARM_UP_SECONDS });
  const run = await withCpuPerRequest(pid, () => fixedRateLoad({ ...load, seconds }));
  if (run.ok === 0)
    throw new Error(
      `single sends at a fixed rate: no 2xx answer (${run.non2xx} non-2xx, ${run.errors} errors)`,
    );
  const ms = (p) => Number(sortedPercentile(run.latenciesMs, p).toFixed(1));
  const cpu = run.cpuMsPerRequest === undefined ? {} : { serviceCpuMsPerRequest: run.cpuMsPerRequest };
  return [
    {
      figure: 'single_send_fixed_rate_p99',
      value: ms(99),
      unit: 'ms',
      target: 20,
      atMost: true,
      offeredPerSecond,
      answeredPerSecond: Math.round(run.answeredPerSecond),
      seconds,
      connections,
      requests: run.requests,
      non2xx: run.non2xx,
      errors: run.errors,
      p50Ms: ms(50),
      p90Ms: ms(90),
      p999Ms: ms(99.9),
      maxMs: ms(100),
      ...cpu,
    },
  ];
}
