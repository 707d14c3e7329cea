// History search p99 over the bench's own data: GET /v1/messages with varied filters (none, status, type,
// calling number, one recipient, a time window, page sizes, and the next page by cursor), one after another.
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { cpuMs } from '../cpu-time.mjs';
import { percentile } from '../percentiles.mjs';
import { recipient } from '../service-client.mjs';

/** The search mix, named by shape (the names key the per-shape timings printed with the figure). */
const SHAPES = [
  ['limit 100', () => ({ limit: 100 })],
  ['COMPLETED, limit 50', () => ({ status: 'COMPLETED', limit: 50 })],
  ['SMS, limit 20', () => ({ type: 'SMS', limit: 20 })],
  ['calling number, limit 100', (i, project) => ({ from: project.from, limit: 100 })],
  [
    'one recipient',
    (i, project, { series, recipients }) => ({ to: recipient(series, (i * 7919) % recipients) }),
  ],
  [
    'time window, limit 100',
    (i, project, { since }) => ({ requestTimeFrom: since.toISOString(), limit: 100 }),
  ],
  ['COMPLETED SMS, limit 1000', () => ({ status: 'COMPLETED', type: 'SMS', limit: 1000 })],
  ['next page, limit 100', () => ({ limit: 100, nextPage: true })],
];

function searches(count, project, data) {
  return Array.from({ length: count }, (_, i) => {
    const [shape, filters] = SHAPES[i % SHAPES.length];
    return { shape, ...filters(i, project, data) };
  });
}

/**
 * `servicePid`: the service's process, whose CPU time over the searches (/proc/<pid>/stat) is printed per search:
 * on the shared cores the latencies move with the load (a search waits for a core), its CPU much less.
 */
export async function historyFigures(client, project, data, servicePid) {
  const latencies = [];
  const byShape = new Map();
  let items = 0;
  let cursor;
  const cpuBefore = servicePid === undefined ? undefined : cpuMs(servicePid);
  for (const { shape, nextPage, ...filters } of searches(data.count, project, data)) {
    if (nextPage && cursor) filters.cursor = cursor;
    const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)]));
    const started = performance.now();
    const page = await client.call('GET', `/v1/messages?${query}`, project.key);
    const ms = performance.now() - started;
    latencies.push(ms);
    const seen = byShape.get(shape) ?? { ms: [], items: 0 };
    seen.ms.push(ms);
    seen.items += page.items.length;
    byShape.set(shape, seen);
    items += page.items.length;
    if (!nextPage) cursor = page.nextCursor ?? undefined;
  }
  const cpuAfter = servicePid === undefined ? undefined : cpuMs(servicePid);
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
      ...(cpuBefore === undefined || cpuAfter === undefined
        ? {}
        : { serviceCpuMsPerSearch: Number(((cpuAfter - cpuBefore) / latencies.length).toFixed(2)) }),
      byShape: Object.fromEntries(
        [...byShape].map(([shape, { ms, items: n }]) => [
          shape,
          {
            p50Ms: Number(percentile(ms, 50).toFixed(1)),
            maxMs: Number(Math.max(...ms).toFixed(1)),
            items: Math.round(n / ms.length),
          },
        ]),
      ),
    },
  ];
}
