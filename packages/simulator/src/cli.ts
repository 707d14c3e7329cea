#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator';

// `munja-simulator --port 9090 --seed 7`: runs the faked SENS and OMNI APIs until interrupted.
async function main(): Promise<void> {
  // `pnpm … start -- --port 0` hands the separator on: drop it
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '9090' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '1' },
      quiet: { type: 'boolean', default: false },
      'sens-service-id': { type: 'string' },
      'sens-access-key': { type: 'string' },
      'sens-secret-key': { type: 'string' },
      // comma-separated registered calling numbers
      'sens-calling-numbers': { type: 'string' },
      'sens-report-delay-ms': { type: 'string' },
      'sens-rate-limit': { type: 'string' },
    },
  });
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: not a port: ${values.port}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed: not an integer: ${values.seed}`);
  const count = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a non-negative integer: ${text}`);
    return n;
  };
  const reportDelayMs = count('sens-report-delay-ms', values['sens-report-delay-ms']);
  const rateLimitPerSecond = count('sens-rate-limit', values['sens-rate-limit']);
  const sim = await startSimulator({
    port,
    host: values.host,
    seed,
    logger: !values.quiet,
    sens: {
      ...(values['sens-service-id'] ? { serviceId: values['sens-service-id'] } : {}),
      ...(values['sens-access-key'] ? { accessKey: values['sens-access-key'] } : {}),
      ...(values['sens-secret-key'] ? { secretKey: values['sens-secret-key'] } : {}),
      ...(values['sens-calling-numbers']
        ? { callingNumbers: values['sens-calling-numbers'].split(',').map((n) => n.trim()) }
        : {}),
      knobs: {
        ...(reportDelayMs !== undefined ? { reportDelayMs } : {}),
        ...(rateLimitPerSecond !== undefined ? { rateLimitPerSecond } : {}),
      },
    },
  });
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
