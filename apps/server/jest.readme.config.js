const config = require('./jest.config.js');

/**
 * Every runnable README command against `npm start` (test/readme-commands.e2e.spec.ts): needs the build. With it
 * the check that every README code block is run or says why not (test/readme-fences.spec.ts), here because this
 * task's turbo inputs are the READMEs.
 */
module.exports = {
  ...config,
  testMatch: ['<rootDir>/test/readme-commands.e2e.spec.ts', '<rootDir>/test/readme-fences.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
