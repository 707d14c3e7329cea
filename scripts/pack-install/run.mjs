#!/usr/bin/env node
// The pack-and-install test (issue 17): packs every published package with `pnpm pack` (which rewrites
// `workspace:` ranges to versions), installs the tarballs with plain npm into a fresh project in the system's
// temporary folder (outside the workspace, so nothing resolves from it), type-checks a TypeScript consumer of
// each module system against the packed declarations, and runs an ESM and a CommonJS consumer script that use
// each package: the provider plugins send to a @munja/simulator started from the workspace, and @munja/client
// sends to the built service (on in-memory PGlite, its plugins pointed at that simulator).
// Usage: npm run test:pack [-- --keep]  (--keep leaves the temporary project for a look)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkManifest } from './manifest.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = Date.now();

/** The published packages, by folder; the simulator, the server and the examples are private. */
const PUBLISHED = [
  'rules',
  'compliance',
  'scheduling',
  'provider-kit',
  'provider-sens',
  'provider-omni',
  'client',
];

function step(text) {
  console.log(`== pack-install [${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

/** The README blocks marked runnable, as files of the consumer project (`// example.cjs` marks CommonJS). */
function readmeExamples() {
  const marked = /<!-- runnable-example[^>]*-->\s*```js\n([\s\S]*?)```/g;
  return PUBLISHED.flatMap((name) =>
    [...readFileSync(join(root, 'packages', name, 'README.md'), 'utf8').matchAll(marked)].map(
      ([, code], i) => ({
        file: `readme-${name}-${i + 1}.${code.startsWith('// example.cjs') ? 'cjs' : 'mjs'}`,
        code,
      }),
    ),
  );
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
let service;

try {
  step('build');
  const filters = [...PUBLISHED.map((name) => `--filter=./packages/${name}`), '--filter=@munja/server...'];
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
  const examples = readmeExamples();
  for (const { file, code } of examples) writeFileSync(join(app, file), code);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed], { cwd: app });

  step('type-check an ESM (.mts) and a CommonJS (.cts) TypeScript consumer against the packed declarations');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });

  step(
    'start @munja/simulator and the service (apps/server/dist/main.js, PGlite in memory) from the workspace',
  );
  // the bench's process helpers load the built simulator and server as they are imported: after the build
  const { benchProject, serviceClient } = await import('../../bench/service-client.mjs');
  const { startServiceProcess } = await import('../../bench/service-process.mjs');
  const { CALLING_NUMBER, startSimulatorProcess } = await import('../../bench/simulator-process.mjs');
  const { simulatorDefaults } = await import('../../bench/workspace.mjs');
  simulator = await startSimulatorProcess();
  service = await startServiceProcess({ simulatorUrl: simulator.url, dispatch: true });
  const client = serviceClient(service.url);
  const project = await benchProject(client, service.operatorKey);
  await client.close();
  const { SENS_DEFAULTS, DEFAULT_OMNI_CREDENTIALS } = simulatorDefaults;
  const env = {
    ...process.env,
    MUNJA_SIMULATOR: JSON.stringify({
      url: simulator.url,
      sens: {
        serviceId: SENS_DEFAULTS.serviceId,
        accessKey: SENS_DEFAULTS.accessKey,
        secretKey: SENS_DEFAULTS.secretKey,
        callingNumber: CALLING_NUMBER,
      },
      omni: DEFAULT_OMNI_CREDENTIALS,
    }),
    MUNJA_SERVICE: JSON.stringify({ url: service.url, apiKey: project.key, from: project.from }),
    // what the client's README example reads (the names the root README and the start banner use)
    MUNJA_URL: service.url,
    MUNJA_KEY: project.key,
    // what the README examples of the plugins read
    SENS_BASE_URL: simulator.url,
    SENS_SERVICE_ID: SENS_DEFAULTS.serviceId,
    SENS_ACCESS_KEY: SENS_DEFAULTS.accessKey,
    SENS_SECRET_KEY: SENS_DEFAULTS.secretKey,
    SENS_FROM: CALLING_NUMBER,
    OMNI_BASE_URL: simulator.url,
    OMNI_CLIENT_ID: DEFAULT_OMNI_CREDENTIALS.clientId,
    OMNI_PASSWORD: DEFAULT_OMNI_CREDENTIALS.password,
    OMNI_FROM: '0310000000',
  };

  for (const script of ['esm.mjs', 'cjs.cjs']) {
    step(`node ${script}`);
    run(process.execPath, [script], { cwd: app, env });
  }
  step(`the README examples: ${examples.map((e) => e.file).join(', ')}`);
  for (const { file } of examples)
    run(process.execPath, [file], { cwd: app, env, stdio: ['ignore', 'ignore', 'inherit'] });
  step('passed');
} finally {
  await service?.stop();
  await simulator?.stop();
  if (process.argv.includes('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
