// Shared by every package's jest.config.js. @swc/jest compiles TypeScript with decorator metadata (NestJS
// needs it), and also the ESM-only NestJS 12 packages, which jest on Node 20 cannot require as they ship.
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @param {string} packageDir the package's own folder (pass __dirname) */
module.exports = function preset(packageDir) {
  const workspace = __dirname;
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: { '^.+\\.(t|mj|j)s$': swc },
    transformIgnorePatterns: [
      '/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@nestjs|uid|file-type|load-esm)/)',
    ],
    // Workspace packages are tested against each other's sources, so one package's tests never wait on
    // another's build output.
    moduleNameMapper: {
      '^@munja/(rules|compliance|scheduling|provider-kit|provider-sens|provider-omni|simulator)$': path.join(
        workspace,
        'packages/$1/src/index.ts',
      ),
      '^@munja/(rules|compliance|scheduling|provider-kit|provider-sens|provider-omni|simulator)/(.+)$':
        path.join(workspace, 'packages/$1/src/$2'),
      '^munja-provider-postbox$': path.join(workspace, 'examples/provider-postbox/src/index.ts'),
      '^munja-provider-postbox/(.+)$': path.join(workspace, 'examples/provider-postbox/src/$1'),
    },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    // property tests from a fixed seed unless FC_SEED says otherwise (jest.fast-check.js)
    setupFilesAfterEnv: [path.join(workspace, 'jest.fast-check.js')],
    // `npm test` runs on 2 cores shared with other work: a property test or a loopback HTTP test can take
    // many times its usual time there, so a test fails on its assertions, never on Jest's 5-second default.
    testTimeout: 60_000,
    // A worker holding PGlite's WebAssembly heap can take longer than Jest's 500 ms to exit on a loaded
    // machine, which Jest reports as "failed to exit gracefully" although nothing leaked (no handle is left
    // open after the files' apps close). A worker that really hangs is still ended, after 10 s.
    workerGracefulExitTimeout: 10_000,
  };
};
