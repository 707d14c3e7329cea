import { defineConfig } from 'tsup';

// ESM (.mjs) and CommonJS (.js) with their declarations, for Node ≥ 20 and for browsers through a bundler.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.js' }),
});
