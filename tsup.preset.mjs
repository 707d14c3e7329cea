// The one build of every published package: CommonJS (dist/*.js) and ESM (dist/*.mjs) bundles with their
// type declarations (.d.ts beside the CommonJS entry, .d.mts beside the ESM one), so each module system's
// consumer gets types that describe the file it loads. Dependencies stay external (tsup's default).
import { defineConfig } from 'tsup';

/**
 * @param {Record<string, string>} entry output name (without extension) to source file
 * @param {import('tsup').Options} [options] more tsup options for this package
 */
export function packageBuild(entry = { index: 'src/index.ts' }, options = {}) {
  return defineConfig({
    entry,
    format: ['cjs', 'esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    // tsup's CommonJS code splitting rewrites the output with sucrase and breaks class constructors; a package
    // with several entries keeps its classes single by other means (see provider-kit's tsup.config.mjs)
    splitting: false,
    target: 'node20',
    platform: 'node',
    tsconfig: 'tsconfig.build.json',
    ...options,
  });
}
