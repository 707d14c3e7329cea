// A stand-in for the simulator CLI, for the bench only: the faked vendors in their own process, a JSON ready
// line on stdout and the counters over HTTP on a second loopback port (the simulator app cannot take routes
// once it listens). The bench prefers the real CLI when it offers the same (a ready line, /_sim/counters).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '@munja/simulator';

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: Number(process.argv[2] ?? 1) });
  const counters = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ sens: sim.sens.ctx.counters.snapshot(), omni: sim.omni.ctx.counters.snapshot() }),
    );
  });
  await new Promise<void>((resolve) => counters.listen(0, '127.0.0.1', resolve));
  const countersUrl = `http://127.0.0.1:${(counters.address() as AddressInfo).port}/_sim/counters`;
  console.log(JSON.stringify({ event: 'ready', url: sim.url, countersUrl }));
  const stop = (): void => {
    counters.close();
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
