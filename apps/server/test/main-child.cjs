// The real entry point (src/main.ts) in a child process: start-up tests run several of them at once. Settings
// come from the environment, as for `npm start`.
require('./support/register-ts.cjs');
require('../src/main.ts');
