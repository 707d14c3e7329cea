const config = require('./jest.config.js');

/** Every runnable README command against `npm start` (test/readme-commands.e2e.spec.ts): needs the build. */
module.exports = {
  ...config,
  testMatch: ['<rootDir>/test/readme-commands.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
