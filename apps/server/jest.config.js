const preset = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  // ESM-only packages reached from the server (besides NestJS): @fastify/static → content-disposition.
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@nestjs|uid|file-type|load-esm|content-disposition)/)',
  ],
  // e2e tests boot the whole service on a fresh database per file, and poll for up to 45 s (waitFor) on a
  // loaded machine: a test fails on its assertions or its own wait, never first on Jest's timeout.
  testTimeout: 120_000,
  // Jest's default on a 2-core machine is one worker; e2e files wait on the database, timers and child processes
  // much of the time (two workers kept 2 cores about 40 % busy), so three workers on 2 cores: the same CPU, and the
  // suite took 216 s instead of 250 s on a loaded machine (PostgreSQL, `pnpm test --maxWorkers=N`, back to back).
  maxWorkers: 3,
  // Longest file first, also in a fresh clone with no timings cached: the workers finish together.
  testSequencer: '<rootDir>/test/support/longest-first-sequencer.cjs',
  // The README commands run against `npm start`, which needs every package built: their own task (jest.readme.
  // config.js, `pnpm test:readme`, turbo's @munja/server#test:readme after the build), so these tests need
  // no build and start at once.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/readme-commands\\.e2e\\.spec\\.ts$',
    '<rootDir>/test/readme-fences\\.spec\\.ts$',
  ],
};
