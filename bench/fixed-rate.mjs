// Open-loop load: requests start on a fixed schedule (`rate` a second), whatever the server does, and each
// latency counts from the request's scheduled start. autocannon's load is closed-loop: a connection sends its
// next request only when the last is answered, so at saturation the latency is the connections over the
// throughput (Little's law: 64 / 6,000 s ≈ 11 ms on average whatever the server does), and a server that stalls
// is sent less and its stall is counted once, not for every request that should have started meanwhile
// ("coordinated omission"). What a client population sending `rate` a second sees is this figure.
//
// autocannon's `overallRate` paces requests but still times them from when they went out, so it has the same
// omission; wrk2 (which corrects it) is not on this machine's registries, hence this small generator.
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { undici } from './workspace.mjs';

/** The load generator checks its schedule this often; a request's latency includes any lateness of the check. */
const TICK_MS = 1;

/**
 * `rate` requests a second for `seconds`, at most `connections` in flight (a request due while all are busy
 * waits in the pool's queue, and that wait counts). Latencies in ms, sorted, with the answers' counts.
 */
export async function fixedRateLoad({
  url,
  path,
  method = 'POST',
  headers,
  body,
  rate,
  seconds,
  connections = 64,
}) {
  const pool = new undici.Pool(url, { connections, pipelining: 1 });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = new Float64Array(total);
  let issued = 0;
  let answered = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const startedAt = performance.now() + TICK_MS;
  const dueAt = (i) => startedAt + (i * 1000) / rate;
  try {
    await new Promise((allAnswered) => {
      const send = (i) => {
        const finish = () => {
          latencies[i] = performance.now() - dueAt(i);
          if (++answered === total) allAnswered();
        };
        pool.request({ path, method, headers, body }).then(
          async (response) => {
            await response.body.dump();
            if (response.statusCode >= 200 && response.statusCode < 300) ok += 1;
            else non2xx += 1;
            finish();
          },
          () => {
            errors += 1;
            finish();
          },
        );
      };
      const tick = () => {
        const now = performance.now();
        while (issued < total && dueAt(issued) <= now) send(issued++);
        if (issued < total) setTimeout(tick, TICK_MS);
      };
      setTimeout(tick, TICK_MS);
    });
  } finally {
    await pool.close();
  }
  const lastAnsweredSeconds = (performance.now() - startedAt) / 1000;
  latencies.sort();
  return {
    offeredPerSecond: rate,
    /** answered a second, from the first scheduled start to the last answer (below `rate` when it falls behind) */
    answeredPerSecond: total / lastAnsweredSeconds,
    requests: total,
    ok,
    non2xx,
    errors,
    latenciesMs: latencies,
  };
}
