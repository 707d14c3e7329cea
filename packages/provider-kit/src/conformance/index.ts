// Imported by plugins' jest tests as `@munja/provider-kit/conformance`; kept out of the package's main index
// because it imports @jest/globals, which only exists inside a jest run.
export * from './harness';
export * from './describe-conformance';
