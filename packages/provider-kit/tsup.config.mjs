import { packageBuild } from '../../tsup.preset.mjs';

/**
 * The conformance entry takes the contract's classes (ProviderError, PluginConfigError, …) from the package's
 * main entry by name instead of bundling its own copies, so a plugin's `instanceof ProviderError` and the
 * suite's see one class. Node resolves the package's own name through its `exports` map.
 */
const conformanceUsesMainEntry = {
  name: 'conformance-uses-main-entry',
  setup(build) {
    build.onResolve({ filter: /^\.\.\// }, (args) =>
      /[\\/]src[\\/]conformance[\\/]/.test(args.importer)
        ? { path: '@munja/provider-kit', external: true }
        : undefined,
    );
  },
};

export default packageBuild(
  { index: 'src/index.ts', 'conformance/index': 'src/conformance/index.ts' },
  { esbuildPlugins: [conformanceUsesMainEntry] },
);
