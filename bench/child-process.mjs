// A Node child process that the bench waits on until it prints the line saying it is ready, and stops with
// SIGTERM (then SIGKILL) at the end. Its other output is kept for the error message if it dies early.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export async function startChild({ name, args, env, ready, timeoutMs = 60_000 }) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const keep = (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  createInterface({ input: child.stderr }).on('line', keep);
  const exited = once(child, 'exit');
  const readyLine = new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      keep(line);
      const match = ready(line);
      if (match) resolve(match);
    });
  });
  const outcome = await Promise.race([
    readyLine,
    exited.then(([code]) => new Error(`${name} exited (${code}) before it was ready:\n${tail.join('\n')}`)),
    sleep(timeoutMs).then(() => new Error(`${name} not ready after ${timeoutMs} ms:\n${tail.join('\n')}`)),
  ]);
  if (outcome instanceof Error) {
    child.kill('SIGKILL');
    throw outcome;
  }
  return {
    pid: child.pid,
    ready: outcome,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
