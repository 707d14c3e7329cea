import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { cp949TablePlugin } from './build/cp949-table.ts';

export default defineConfig({
  // The server serves dist at /console/ (apps/server/src/console/serve-console.ts).
  base: '/console/',
  plugins: [react(), cp949TablePlugin()],
  resolve: {
    alias: [
      // @munja/rules from its TypeScript source: its tsup build wraps every function in a `__name()` call
      // (keepNames, forced by the decorator metadata setting), which the bundler must keep, and with them all
      // of libphonenumber's metadata; from source, the counter's chunk holds only the rules it calls.
      {
        find: /^@munja\/rules$/,
        replacement: fileURLToPath(new URL('../../packages/rules/src/index.ts', import.meta.url)),
      },
      // @munja/rules counts CP949 bytes with iconv-lite; the browser gets an 8 KB map of what CP949 encodes,
      // made from iconv-lite at build time, in place of iconv-lite's tables (src/rules/cp949-encoder.ts).
      {
        find: /^iconv-lite$/,
        replacement: fileURLToPath(new URL('./src/rules/cp949-encoder.ts', import.meta.url)),
      },
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
