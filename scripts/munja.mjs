#!/usr/bin/env node
// The root commands (`npm start`, `npm test`, `npm run lint`, `npm run bench`) go through this script so
// that a machine with only Node 20 and npm needs nothing else: it brings the pinned pnpm through npx,
// installs the workspace when the lockfile or a manifest changed, then hands over to turbo or the server.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '10.34.8';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command = 'help', ...rest] = process.argv.slice(2);
// turbo's first run otherwise prints a telemetry notice in the middle of `npm test`
process.env.TURBO_TELEMETRY_DISABLED ??= '1';

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function runOrExit(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) process.exit(status);
}

function pnpmOnPath() {
  const probe = spawnSync('pnpm', ['--version'], { cwd: root, encoding: 'utf8' });
  return probe.status === 0 && probe.stdout.trim() === PNPM_VERSION;
}

// Without the pinned pnpm on PATH, fetch it through npx once and put its folder on this process's PATH, so
// pnpm, turbo's child tasks and the server all run under this one process (Ctrl-C stays simple).
if (!pnpmOnPath()) {
  const probe = spawnSync(
    'npx',
    ['--yes', `--package=pnpm@${PNPM_VERSION}`, 'node', '-e', 'process.stdout.write(process.env.PATH)'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const folder = (probe.stdout ?? '')
    .split(delimiter)
    .find((dir) => existsSync(join(dir, process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm')));
  if (probe.status !== 0 || !folder) {
    console.error(`munja: could not bring pnpm ${PNPM_VERSION} through npx`);
    process.exit(1);
  }
  process.env.PATH = `${folder}${delimiter}${process.env.PATH ?? ''}`;
  if (!pnpmOnPath()) {
    console.error(`munja: pnpm ${PNPM_VERSION} from npx does not run`);
    process.exit(1);
  }
}

function manifestsHash() {
  const hash = createHash('sha256');
  const files = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'];
  for (const group of ['apps', 'packages', 'examples']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) files.push(join(group, name, 'package.json'));
  }
  for (const file of files) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureInstalled() {
  const stamp = join(root, 'node_modules', '.munja-install-stamp');
  const wanted = manifestsHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  runOrExit('pnpm', ['install', ...frozen]);
  writeFileSync(stamp, manifestsHash());
}

const turbo = (...args) => runOrExit('pnpm', ['exec', 'turbo', ...args]);

/**
 * Runs the built server in this process's place: started directly (not through pnpm, which reported Ctrl-C
 * as a failed run and returned before the service had closed) in a process group of its own, so that a
 * Ctrl-C reaches it once, through here. The first SIGINT/SIGTERM is passed on and the service closes
 * gracefully and exits with status 0 once closed: that ends this command with status 0. A second
 * signal, a moment later, stops the service at once.
 */
function startServer(args) {
  const server = join(root, 'apps', 'server');
  const child = spawn(process.execPath, [join(server, 'dist', 'main.js'), ...args], {
    cwd: server,
    stdio: 'inherit',
    detached: true,
  });
  let stopping;
  const onSignal = (signal) => {
    if (!stopping) {
      stopping = { signal, at: Date.now() };
      child.kill(signal);
    } else if (Date.now() - stopping.at > 1000) {
      // the terminal and npm may each pass on the same Ctrl-C: only a later one means "now"
      process.stderr.write('munja: stopping the service now\n');
      child.kill('SIGKILL');
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // this process ending for another reason must not leave the service running on its own
  process.on('exit', () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'));
  child.on('error', (error) => {
    process.stderr.write(`munja: could not start the server: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (stopping && (code === 0 || signal === stopping.signal)) process.exit(0);
    process.exit(code ?? 1);
  });
}

ensureInstalled();
switch (command) {
  case 'install':
    break;
  case 'start': {
    if (!existsSync(join(root, 'apps', 'server', 'package.json'))) {
      console.log(
        'munja: the server (apps/server) is not built yet; `npm start` will build it and start it on',
      );
      console.log('embedded PGlite with the SENS and OMNI plugins pointed at an in-process simulator.');
      break;
    }
    // turbo's own header and summary only when the build fails: the screen is for the start banner
    process.stdout.write('munja: building the server and its packages (cached after the first time)…\n');
    const build = spawnSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@munja/server...', '--output-logs=errors-only'],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (build.status !== 0) {
      process.stdout.write(build.stdout ?? '');
      process.stderr.write(build.stderr ?? '');
      process.exit(build.status ?? 1);
    }
    startServer(rest);
    break;
  }
  case 'test':
    // Six tasks at a time (jest workers are set per package): the server's tests, the longest task, read every
    // package from its sources and start at once (turbo.json's //#gate holds back every other task until then);
    // the builds and the other packages' tests take the other slots, so the console's tests, which wait for
    // every build, run beside the server's instead of after them. On 2 cores kept busy by another process, more
    // tasks at once also means a larger share of the cores: measured back to back on one build (ca8db26, two
    // busy loops), 342 s with three tasks (the console's tests ending ~90 s after the server's) and 295 s with
    // six. Every package runs even when one fails, each package's output in one piece, and turbo lists the
    // failed ones last. The server's README commands (test:readme) run against `npm start` once everything
    // is built.
    turbo('run', 'test', 'test:readme', '--continue', '--concurrency=6', '--log-order=grouped', ...rest);
    break;
  case 'lint':
    runOrExit('pnpm', ['exec', 'eslint', '.', ...rest]);
    runOrExit('pnpm', ['exec', 'prettier', '--check', '.']);
    break;
  case 'bench':
    // `--packages`: the packages' own micro-benchmarks through turbo; otherwise the service bench (bench/run.mjs)
    if (rest.includes('--packages')) {
      turbo('run', 'build', '--output-logs=errors-only');
      turbo('run', 'bench', '--concurrency=1', ...rest.filter((arg) => arg !== '--packages'));
    } else {
      turbo('run', 'build', '--filter=@munja/server...', '--output-logs=errors-only');
      process.exit(run('node', [join(root, 'bench', 'run.mjs'), ...rest]));
    }
    break;
  case 'turbo':
    turbo(...rest);
    break;
  case 'exec':
    runOrExit('pnpm', ['exec', ...rest]);
    break;
  default:
    console.log(
      'usage: node scripts/munja.mjs start|test|lint|bench [--smoke|--packages]|install|turbo <args>|exec <cmd>',
    );
    process.exit(command === 'help' ? 0 : 2);
}
