import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { VendorKnobs } from './knobs';
import { registerOmni, type OmniControl, type OmniFakeOptions } from './omni';
import { registerSens, type SensControl, type SensFakeOptions } from './sens';
import { createVendorContext } from './vendor-context';

/**
 * Control endpoints under /_sim for a simulator in another process (benches, the CLI): counters to prove
 * exactly-once delivery, and knobs. Never part of either vendor's API.
 */
function registerControlRoutes(app: FastifyInstance, sens: SensControl, omni: OmniControl): void {
  app.get('/_sim/counters', async () => ({
    sens: sens.snapshot(),
    omni: omni.ctx.counters.snapshot(),
  }));
  app.post('/_sim/sens/reset', async () => {
    sens.reset();
    return { ok: true };
  });
  app.post('/_sim/sens/knobs', async (request) => {
    sens.setKnobs((request.body ?? {}) as Partial<VendorKnobs>);
    return sens.ctx.knobs;
  });
  app.post('/_sim/sens/settle', async () => ({ settled: sens.settleReports() }));
}

export interface SimulatorOptions {
  /** 0 (the default) picks a free ephemeral port */
  port?: number;
  /** loopback only by default */
  host?: string;
  /** makes outcomes and injected faults repeatable */
  seed?: number;
  /** the simulator's clock in ms since epoch (default Date.now) */
  now?: () => number;
  sens?: SensFakeOptions & { knobs?: Partial<VendorKnobs> };
  omni?: OmniFakeOptions & { knobs?: Partial<VendorKnobs> };
  /** log each request (the CLI turns this on) */
  logger?: boolean;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:40123 — both vendors are served under it, each at its own paths */
  readonly url: string;
  readonly port: number;
  readonly sens: SensControl;
  readonly omni: OmniControl;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/** Start both faked vendors on one loopback HTTP server (in-process: for tests and the embedded service). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
  const sens = registerSens(
    app,
    createVendorContext({ knobs: options.sens?.knobs, seed, now }),
    options.sens ?? {},
  );
  const omni = registerOmni(
    app,
    createVendorContext({ knobs: options.omni?.knobs, seed: seed + 1, now }),
    options.omni ?? {},
  );
  registerControlRoutes(app, sens, omni);
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    sens,
    omni,
    app,
    stop: () => app.close(),
  };
}
