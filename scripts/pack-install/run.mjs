#!/usr/bin/env node
// The pack-and-install test (issue 17): packs every published package with `pnpm pack` (which rewrites
// `workspace:` ranges to versions), installs the tarballs with plain npm into a fresh project in the system's
// temporary folder (outside the workspace, so nothing resolves from it), type-checks a TypeScript consumer of
// each module system against the packed declarations, and runs an ESM and a CommonJS consumer script that use
// each package; the provider plugins send to a @munja/simulator started from the workspace.
// Usage: node scripts/pack-install/run.mjs [--keep]  (needs the packages built: turbo run build)
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkManifest } from './manifest.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = Date.now();

/**
 * The published packages, by folder. @munja/client (packages/client) joins this list when it lands on main,
 * with its own consumer check (send through the client to a running service) in consumer/checks.cjs.
 */
const PUBLISHED = ['rules', 'compliance', 'scheduling', 'provider-kit', 'provider-sens', 'provider-omni'];

function step(text) {
  console.log(`== pack-install [${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

const work = mkdtempSync(join(tmpdir(), 'munja-pack-install-'));
if (!relative(root, work).startsWith('..')) throw new Error(`${work} is inside the workspace`);
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
let simulator;

try {
  step('build');
  const filters = [...PUBLISHED, 'simulator'].map((name) => `--filter=./packages/${name}`);
  run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], { cwd: root });

  step(`pnpm pack ${PUBLISHED.length} packages into ${tarballs}`);
  mkdirSync(tarballs);
  for (const name of PUBLISHED) {
    run('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: join(root, 'packages', name),
      stdio: 'ignore',
    });
  }
  const packed = readdirSync(tarballs).map((file) => join(tarballs, file));
  if (packed.length !== PUBLISHED.length) throw new Error(`expected ${PUBLISHED.length} tarballs: ${packed}`);
  for (const tarball of packed) checkManifest(tarball);

  step(`npm install the tarballs into ${app}`);
  cpSync(join(root, 'scripts', 'pack-install', 'consumer'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'munja-pack-install-consumer', version: '1.0.0', private: true }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed], { cwd: app });

  step('type-check an ESM (.mts) and a CommonJS (.cts) TypeScript consumer against the packed declarations');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });

  step('start @munja/simulator from the workspace');
  simulator = spawn(
    process.execPath,
    [join(root, 'packages', 'simulator', 'dist', 'cli.js'), '--port', '0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = await readyLine(simulator);
  const defaults = createRequire(import.meta.url)(join(root, 'packages', 'simulator', 'dist', 'index.js'));
  const env = {
    ...process.env,
    MUNJA_SIMULATOR: JSON.stringify({
      url: ready.url,
      sens: {
        serviceId: ready.sens.serviceId,
        accessKey: defaults.SENS_DEFAULTS.accessKey,
        secretKey: defaults.SENS_DEFAULTS.secretKey,
        callingNumber: defaults.SENS_DEFAULTS.callingNumbers[0],
      },
      omni: defaults.DEFAULT_OMNI_CREDENTIALS,
    }),
  };

  for (const script of ['esm.mjs', 'cjs.cjs']) {
    step(`node ${script}`);
    run(process.execPath, [script], { cwd: app, env });
  }
  step('passed');
} finally {
  simulator?.kill();
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

/** The simulator prints one JSON line `{ event: 'ready', url, … }` once it listens. */
async function readyLine(child) {
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the simulator exited (${code}) before it was ready`);
  });
  const ready = (async () => {
    for await (const line of lines) {
      if (!line.startsWith('{')) continue;
      const parsed = JSON.parse(line);
      if (parsed.event === 'ready') return parsed;
    }
    throw new Error('the simulator closed its output before it was ready');
  })();
  return Promise.race([ready, exited]);
}
