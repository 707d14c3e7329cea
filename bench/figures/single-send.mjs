// Single-recipient POST /v1/messages under 64 concurrent connections: the per-request cost of the whole
// stack (Fastify, NestJS pipes and guards, the send plan, one transaction), with p50/p99 latency.
import { load } from '../load.mjs';

export async function singleSendFigures(client, project, { seconds, connections = 64 }) {
  const result = await load({
    url: `${client.baseUrl}/v1/messages`,
    connections,
    seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${project.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      from: project.from,
      content: '[인증번호] 123456',
      messages: [{ to: '01077778888' }],
    }),
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
  };
  return [
    { figure: 'single_send', value: result.requestsPerSecond, unit: 'requests/s', target: 5000, ...common },
    { figure: 'single_send_p50', value: result.p50Ms, unit: 'ms' },
    { figure: 'single_send_p99', value: result.p99Ms, unit: 'ms', target: 20, atMost: true },
  ];
}
