// Starts the real, built service (apps/server/dist/main.js) on embedded PGlite in memory, on a port of its own
// (PORT=0), with the simulator-backed SENS/OMNI plugins and the demo project, and reads its start-up banner.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningService {
  url: string;
  demoKey: string;
  operatorKey: string;
  stop: () => Promise<void>;
}

const serverMain = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'server',
  'dist',
  'main.js',
);

export async function startService(): Promise<RunningService> {
  if (!existsSync(serverMain))
    throw new Error(`the server is not built (${serverMain}): run the build first`);
  const operatorKey = `mk_op_e2e_${randomBytes(16).toString('hex')}`;
  const child: ChildProcess = spawn(process.execPath, [serverMain], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      PORT: '0',
      HOST: '127.0.0.1',
      MUNJA_PGLITE_DIR: 'memory://',
      MUNJA_OPERATOR_KEY: operatorKey,
      MUNJA_DEMO: 'true',
      LOG_LEVEL: 'warn',
      // the e2e's webhook receiver listens on 127.0.0.1; deliveries are looked for every 200 ms
      MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true',
      MUNJA_WEBHOOK_TICK_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the service did not start in 180 s:\n${output}`)),
      180_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Demo API key:\s+\S+/.test(output) && /Operator key:/.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before it started:\n${output}`));
    });
  });
  const url = /Munja is running at (\S+)/.exec(banner)?.[1];
  const demoKey = /Demo API key:\s+(\S+)/.exec(banner)?.[1];
  if (!url || !demoKey) throw new Error(`unexpected banner:\n${banner}`);
  child.removeAllListeners('exit');
  return {
    url,
    demoKey,
    operatorKey,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
