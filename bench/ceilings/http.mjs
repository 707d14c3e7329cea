// Ceiling of the single-send figure: the same load (64 connections, the same client) against a bare Fastify
// server in its own process. The service cannot answer faster than this machine lets any Node server answer.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../child-process.mjs';
import { loadAfterWarmUp } from '../load.mjs';
import { fastifyPath } from '../workspace.mjs';

export async function bareHttpCeiling({ seconds, warmUpSeconds, connections }) {
  const server = await startChild({
    name: 'bare server',
    args: [join(dirname(fileURLToPath(import.meta.url)), 'bare-server.mjs'), fastifyPath],
    ready: (line) => (line.startsWith('{') ? JSON.parse(line).url : undefined),
  });
  try {
    const request = {
      url: `${server.ready}/echo`,
      connections,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '01012345678' }),
    };
    // the same warm-up as the single sends it is the ceiling of
    return await loadAfterWarmUp(request, { seconds, warmUpSeconds, pid: server.pid });
  } finally {
    await server.stop();
  }
}
