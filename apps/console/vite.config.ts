import react from '@vitejs/plugin-react';
import { createRequire } from 'node:module';
import { defineConfig } from 'vite';

const require = createRequire(import.meta.url);

export default defineConfig({
  // The server serves dist at /console/ (apps/server/src/console/serve-console.ts).
  base: '/console/',
  plugins: [react()],
  resolve: {
    // @munja/rules counts CP949 bytes with iconv-lite, which reaches Node's Buffer through safer-buffer:
    // the browser gets the `buffer` package in its place (only in the lazily loaded rules chunk).
    alias: { buffer: require.resolve('buffer/') },
  },
  // @munja/rules is a CommonJS workspace package: pre-bundled in dev like any CommonJS dependency.
  optimizeDeps: { include: ['@munja/rules'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
