const preset = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  // The tests start the real service from apps/server's sources, which reach ESM-only packages (as its config).
  transformIgnorePatterns: [
    '/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@nestjs|uid|file-type|load-esm|content-disposition)/)',
  ],
  testTimeout: 120000,
  maxWorkers: 2,
};
