// Accepted recipients/s for POST /v1/messages with 1,000 recipients each, one request after another (after
// one warm-up request): planning, the rules and compliance checks, and storing all rows in one transaction.
import { performance } from 'node:perf_hooks';
import { recipient } from '../service-client.mjs';

export const PER_REQUEST = 1000;

export async function sendJsonRequests(client, project, { requests, series }) {
  const send = (r) =>
    client.call('POST', '/v1/messages', project.key, {
      from: project.from,
      content: '안녕하세요 고객님, 주문하신 상품이 발송되었습니다.',
      messages: Array.from({ length: PER_REQUEST }, (_, i) => ({
        to: recipient(series, r * PER_REQUEST + i),
      })),
    });
  const requestIds = [];
  const started = performance.now();
  for (let r = 0; r < requests; r++) requestIds.push((await send(r)).requestId);
  const seconds = (performance.now() - started) / 1000;
  return { requestIds, seconds, recipients: requests * PER_REQUEST };
}

export async function jsonRequestsFigure(client, project, { requests }) {
  await sendJsonRequests(client, project, { requests: 1, series: 8 }); // warm-up: JIT, pools, plans
  const run = await sendJsonRequests(client, project, { requests, series: 9 });
  return {
    figure: 'json_accept',
    value: run.recipients / run.seconds,
    unit: 'recipients/s',
    requests,
    recipientsPerRequest: PER_REQUEST,
    msPerRequest: Number(((run.seconds * 1000) / requests).toFixed(1)),
  };
}
