import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface MainProcess {
  child: ChildProcess;
  /** resolves with the URL of the banner, or rejects with the output when the process exits first */
  running: Promise<string>;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  output(): string;
  stop(): Promise<number | null>;
}

/** `src/main.ts` in its own process (test/main-child.cjs) with these settings on top of quiet defaults. */
export function startMainProcess(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, [join(__dirname, 'main-child.cjs')], {
    cwd: join(__dirname, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MUNJA_DISPATCH: 'false',
      MUNJA_WEBHOOKS: 'false',
      MUNJA_RETENTION: 'false',
      MUNJA_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Munja is running at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then((code) => reject(new Error(`exited with ${code} before running:\n${output}`)));
  });
  running.catch(() => undefined);
  return {
    child,
    running,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
