// A second Munja process for the kill test: compiles the server's TypeScript on the fly with @swc/core
// (decorators and their metadata, as the build does), boots the app on the database and plugins given in
// its environment, and runs its dispatcher until it is killed. Prints READY once started.
require('./support/register-ts.cjs');
require('reflect-metadata');
const { createApp } = require('../src/app.factory.ts');

createApp({ env: process.env, shutdownHooks: false }).then(
  () => process.stdout.write('READY\n'),
  (error) => {
    process.stderr.write(`child failed to start: ${error && error.stack}\n`);
    process.exit(1);
  },
);
