// History search p99 over the bench's own data: GET /v1/messages with varied filters (none, status, type,
// calling number, one recipient, a time window, page sizes, and the next page by cursor), one after another.
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { percentile } from '../percentiles.mjs';
import { recipient } from '../service-client.mjs';

function searches(count, project, { series, recipients, since }) {
  const windowFrom = since.toISOString();
  const shapes = [
    () => ({ limit: 100 }),
    () => ({ status: 'COMPLETED', limit: 50 }),
    () => ({ type: 'SMS', limit: 20 }),
    () => ({ from: project.from, limit: 100 }),
    (i) => ({ to: recipient(series, (i * 7919) % recipients) }),
    () => ({ requestTimeFrom: windowFrom, limit: 100 }),
    () => ({ status: 'COMPLETED', type: 'SMS', limit: 1000 }),
    () => ({ limit: 100, nextPage: true }),
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length](i));
}

export async function historyFigures(client, project, data) {
  const latencies = [];
  let items = 0;
  let cursor;
  for (const { nextPage, ...filters } of searches(data.count, project, data)) {
    if (nextPage && cursor) filters.cursor = cursor;
    const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)]));
    const started = performance.now();
    const page = await client.call('GET', `/v1/messages?${query}`, project.key);
    latencies.push(performance.now() - started);
    items += page.items.length;
    if (!nextPage) cursor = page.nextCursor ?? undefined;
  }
  return [
    {
      figure: 'history_search_p99',
      value: percentile(latencies, 99),
      unit: 'ms',
      target: 50,
      atMost: true,
      searches: latencies.length,
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      maxMs: Number(Math.max(...latencies).toFixed(2)),
      itemsReturned: items,
      messagesInProject: data.recipients,
    },
  ];
}
