import { defineConfig } from 'vitest/config';

// End-to-end: the built console in Debian's chromium against the real service (e2e/support). One file, one
// service and one browser, tests in order; generous timeouts for a loaded 2-core machine.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // A passing run prints nothing of its own (npm test stays quiet); a failing test shows its console output.
    // The two figures the flows print (compose interactive, keystroke time): `vitest run --silent=false`.
    silent: 'passed-only',
    expect: { poll: { timeout: 30_000, interval: 250 } },
  },
});
