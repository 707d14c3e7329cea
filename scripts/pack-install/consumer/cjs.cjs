// The CommonJS consumer: each package through its `require` entry (dist/*.js).
const { checkAll } = require('./checks.cjs');

for (const name of ['@munja/rules', '@munja/provider-kit', '@munja/provider-sens', '@munja/client']) {
  const entry = require.resolve(name);
  if (!entry.endsWith('.js')) throw new Error(`${name} resolved to ${entry}, not its CommonJS entry`);
}
checkAll(
  {
    rules: require('@munja/rules'),
    compliance: require('@munja/compliance'),
    scheduling: require('@munja/scheduling'),
    providerKit: require('@munja/provider-kit'),
    sens: require('@munja/provider-sens'),
    omni: require('@munja/provider-omni'),
    client: require('@munja/client'),
  },
  'cjs',
).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
