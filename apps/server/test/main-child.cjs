// The real entry point (src/main.ts) in a child process: start-up tests run several of them at once. Settings
// come from the environment, as for `npm start`.
const { Blob } = require('node:buffer');
const { readFileSync } = require('node:fs');

require('./support/register-ts.cjs');

// MUNJA_TEST_PGLITE_TEMPLATE (tests only: test/pglite-template.ts's file): an in-memory PGlite starts as a copy
// of that migrated database, as the in-process test apps do, instead of running initdb and every migration
// (seconds of CPU per process). main.ts is otherwise untouched: its createApp is handed the template.
const template = process.env.MUNJA_TEST_PGLITE_TEMPLATE;
if (template && process.env.MUNJA_PGLITE_DIR === 'memory://') {
  const factoryPath = require.resolve('../src/app.factory.ts');
  const factory = require(factoryPath);
  const embeddedTemplate = new Blob([readFileSync(template)]);
  require.cache[factoryPath].exports = {
    ...factory,
    createApp: (options) => factory.createApp({ ...options, embeddedTemplate }),
  };
}

require('../src/main.ts');
