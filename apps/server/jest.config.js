const preset = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  // ESM-only packages reached from the server (besides NestJS): @fastify/static → content-disposition.
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@nestjs|uid|file-type|load-esm|content-disposition)/)',
  ],
  // e2e tests boot the whole service on a fresh database per file.
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker; e2e files wait on the database and PGlite's WebAssembly
  // is single-threaded, so two workers use both cores.
  maxWorkers: 2,
};
