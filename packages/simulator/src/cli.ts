#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator';

// `munja-simulator --port 9090 --seed 7`: runs the faked SENS and OMNI APIs until interrupted.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9090' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port: ${values.port}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed: not an integer: ${values.seed}`);
  const sim = await startSimulator({ port, host: values.host, seed, logger: !values.quiet });
  console.log(`munja-simulator: SENS and OMNI fakes listening on ${sim.url}`);
  // one machine-readable line for a parent process (benches) that started us with --port 0
  console.log(
    JSON.stringify({ event: 'ready', url: sim.url, port: sim.port, sens: { serviceId: sim.sens.serviceId } }),
  );
  const stop = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`munja-simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
