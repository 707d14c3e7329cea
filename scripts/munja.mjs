#!/usr/bin/env node
// The root commands (`npm start`, `npm test`, `npm run lint`, `npm run bench`) go through this script so
// that a machine with only Node 20 and npm needs nothing else: it brings the pinned pnpm through npx,
// installs the workspace when the lockfile or a manifest changed, then hands over to turbo or the server.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '10.34.8';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command = 'help', ...rest] = process.argv.slice(2);

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

// Re-enter through npx once, so that pnpm (and so turbo's child tasks) find the pinned pnpm on PATH.
if (!pnpmOnPath()) {
  if (process.env.MUNJA_VIA_NPX) {
    console.error(`munja: could not bring pnpm ${PNPM_VERSION} through npx`);
    process.exit(1);
  }
  const status = run(
    'npx',
    ['--yes', `pnpm@${PNPM_VERSION}`, 'exec', 'node', fileURLToPath(import.meta.url), command, ...rest],
    {
      env: { ...process.env, MUNJA_VIA_NPX: '1' },
    },
  );
  process.exit(status);
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
    turbo('run', 'build', '--filter=@munja/server...', '--output-logs=errors-only');
    process.exit(run('pnpm', ['--filter', '@munja/server', 'run', 'start:prod', ...rest]));
    break;
  }
  case 'test':
    turbo('run', 'test', ...rest);
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
