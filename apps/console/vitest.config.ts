import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// Component and unit tests in jsdom (the browser flows are in e2e/, see vitest.e2e.config.ts).
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.spec.{ts,tsx}'],
      setupFiles: ['src/test-setup.ts'],
      testTimeout: 20_000,
      // a passing test's console output is not shown (npm test stays quiet); a failing one's is
      silent: 'passed-only',
    },
  }),
);
