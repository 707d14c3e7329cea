// Concurrent load: autocannon keeps `connections` requests in flight for `seconds` and records each latency in
// an HDR histogram. The same tool drives the bare-server ceiling and the service, so the two compare directly.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cpuMs } from './cpu-time.mjs';
import { root } from './workspace.mjs';

const autocannon = createRequire(join(root, 'package.json'))('autocannon');

export async function load({
  url,
  connections = 64,
  seconds,
  method = 'GET',
  headers,
  body,
  warmUpSeconds = 1,
}) {
  const options = { url, connections, method, headers, body };
  if (warmUpSeconds > 0) await autocannon({ ...options, duration: warmUpSeconds });
  const result = await autocannon({ ...options, duration: seconds });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * `run()`'s result with the CPU ms process `pid` used a request (`result.requests`) while it ran: undefined
 * without a pid, when it cannot be read, or with no request.
 */
export async function withCpuPerRequest(pid, run) {
  const before = pid === undefined ? undefined : cpuMs(pid);
  const result = await run();
  const after = pid === undefined ? undefined : cpuMs(pid);
  const cpuMsPerRequest =
    before === undefined || after === undefined || result.requests === 0
      ? undefined
      : Number(((after - before) / result.requests).toFixed(3));
  return { ...result, cpuMsPerRequest };
}

/**
 * `warmUpSeconds` of the load, then `seconds` of it measured: the measured part's figures, the warm-up's
 * (`warmUp`), and the CPU ms process `pid` used a request over the measured part (withCpuPerRequest).
 */
export async function loadAfterWarmUp(request, { seconds, warmUpSeconds, pid }) {
  const warmUp = await load({ ...request, seconds: warmUpSeconds, warmUpSeconds: 0 });
  const result = await withCpuPerRequest(pid, () => load({ ...request, seconds, warmUpSeconds: 0 }));
  return { ...result, warmUp };
}
