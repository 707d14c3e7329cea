// Single-recipient POST /v1/messages under 64 concurrent connections: the per-request cost of the whole
// stack (Fastify, NestJS pipes and guards, the send plan, one statement shared by the sends that arrive
// together), with p50/p99 latency, and the service process's CPU time per request (the figure that moves least
// with the machine's load). Measured after `warmUpSeconds` of the same load: a fresh process spends its first
// seconds compiling the path (V8 optimizes several hundred functions of it), and a service runs for days, not
// seconds. What the warm-up itself gave is printed beside the figure (docs/benchmarks.md, "A fresh process's
// first seconds").
import { loadAfterWarmUp } from '../load.mjs';

export async function singleSendFigures(client, project, { seconds, warmUpSeconds, connections = 64, pid }) {
  const request = {
    url: `${client.baseUrl}/v1/messages`,
    connections,
    method: 'POST',
    headers: { authorization: `Bearer ${project.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      from: project.from,
      content: '[인증번호] 123456',
      messages: [{ to: '01077778888' }],
    }),
  };
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
