import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readmes, runnableBlocks } from './support/runnable-blocks';

const ROOT = join(__dirname, '../../..');

interface Started {
  process: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start`'s script itself, on a fresh data folder and any free port, as a newcomer runs it. */
function startMunja(dataDir: string): Started {
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0', MUNJA_PGLITE_DIR: dataDir };
  // the service as `npm start` makes it: embedded PGlite, generated keys, the demo project
  delete env.DATABASE_URL;
  delete env.MUNJA_OPERATOR_KEY;
  delete env.MUNJA_DEMO;
  delete env.NODE_OPTIONS;
  // the build `npm start` runs is turbo's cache of the one this test run's build task made; a forced run
  // (TURBO_FORCE=true npm test) would rebuild all eleven packages inside this test's wait for the banner
  delete env.TURBO_FORCE;
  const child = spawn(process.execPath, [join(ROOT, 'scripts/munja.mjs'), 'start'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { process: child, output: () => output, exited };
}

async function banner(started: Started, timeoutMs: number): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = started.output();
    const url = /Munja is running at (http:\/\/\S+)/.exec(text)?.[1];
    const key = /Demo API key:\s+(\S+)/.exec(text)?.[1];
    const operator = /Operator key:\s+(mk_op_\S+)/.exec(text)?.[1];
    if (url && key && operator) return { MUNJA_URL: url, MUNJA_KEY: key, MUNJA_OPERATOR_KEY: operator };
    if (started.process.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm start printed no banner:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('npm start, every runnable README command against it, then Ctrl-C', () => {
  const folder = mkdtempSync(join(tmpdir(), 'munja-readme-'));
  let started: Started;
  let env: Record<string, string>;

  beforeAll(async () => {
    started = startMunja(join(folder, 'pglite'));
    // a fresh embedded database: initdb and every migration, minutes on 2 loaded cores
    env = await banner(started, 280_000);
  }, 300_000);

  afterAll(async () => {
    if (started?.process.exitCode === null && started.process.signalCode === null) {
      started.process.kill('SIGKILL');
      await started.exited;
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('prints the next step: a send with the printed key, and where to watch it', () => {
    expect(started.output()).toContain(`export MUNJA_URL=${env.MUNJA_URL} MUNJA_KEY=${env.MUNJA_KEY}`);
    expect(started.output()).toMatch(/curl -s -X POST "\$MUNJA_URL\/v1\/messages"/);
  });

  const blocks = readmes(ROOT).flatMap((file) =>
    runnableBlocks(readFileSync(file, 'utf8')).map((block) => ({ file: relative(ROOT, file), ...block })),
  );

  it('finds runnable blocks in the READMEs', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    '%s runs and exits 0',
    (_where, block) => {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', block.code], {
        cwd: ROOT,
        env: { ...process.env, ...env, NODE_OPTIONS: '' },
        encoding: 'utf8',
        timeout: 90_000,
      });
      expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toMatchObject({
        status: 0,
      });
    },
    120_000,
  );

  it('Ctrl-C (SIGINT) stops the service and ends npm start with status 0 once it has closed', async () => {
    started.process.kill('SIGINT');
    const { code, signal } = await started.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // closed before the command ended: the service's process is gone and its port answers no more
    const pid = Number(/"pid":(\d+)/.exec(started.output())?.[1]);
    expect(pid).toBeGreaterThan(0);
    let alive: string;
    try {
      process.kill(pid, 0);
      alive = 'still running';
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code ?? String(error);
    }
    expect(alive).toBe('ESRCH');
    const probe = spawnSync('curl', ['-s', '-o', '/dev/null', '-m', '5', `${env.MUNJA_URL}/health/live`]);
    expect(probe.status).not.toBe(0);
  }, 120_000);
});
