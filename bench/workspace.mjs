// Where the bench finds the built service and simulator, and the libraries it shares with them: pg, undici and
// fastify are resolved from apps/server (pnpm does not hoist them to the root), so the bench speaks to the
// database and the service with the same versions the service itself uses.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const serverMain = join(root, 'apps', 'server', 'dist', 'main.js');
export const simulatorCli = join(root, 'packages', 'simulator', 'dist', 'cli.js');

const fromServer = createRequire(join(root, 'apps', 'server', 'package.json'));
const fromSimulator = createRequire(join(root, 'packages', 'simulator', 'package.json'));

export const pg = fromServer('pg');
export const undici = fromServer('undici');
export const simulatorDefaults = fromServer('@munja/simulator');
/** Fastify for the bare loopback server: the simulator's copy, the same version as the service's. */
export const fastifyPath = fromSimulator.resolve('fastify');
