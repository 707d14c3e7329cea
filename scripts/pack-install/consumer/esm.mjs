// The ESM consumer: each package through its `import` entry (dist/*.mjs).
import * as rules from '@munja/rules';
import * as compliance from '@munja/compliance';
import * as scheduling from '@munja/scheduling';
import * as providerKit from '@munja/provider-kit';
import * as sens from '@munja/provider-sens';
import * as omni from '@munja/provider-omni';
import * as client from '@munja/client';
import checks from './checks.cjs';

for (const name of ['@munja/rules', '@munja/provider-kit', '@munja/provider-sens', '@munja/client']) {
  const entry = import.meta.resolve(name);
  if (!entry.endsWith('.mjs')) throw new Error(`${name} resolved to ${entry}, not its ESM entry`);
}
await checks.checkAll({ rules, compliance, scheduling, providerKit, sens, omni, client }, 'esm');
