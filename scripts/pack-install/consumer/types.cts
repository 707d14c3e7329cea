// Type-checked (not run) with module resolution nodenext: the CommonJS consumer sees the .d.ts declarations.
/* eslint-disable @typescript-eslint/no-require-imports -- `import x = require()` is how CommonJS TypeScript imports */
import rules = require('@munja/rules');
import compliance = require('@munja/compliance');
import scheduling = require('@munja/scheduling');
import kit = require('@munja/provider-kit');
import type { ConformanceHarness } from '@munja/provider-kit/conformance';
import sens = require('@munja/provider-sens');
import omni = require('@munja/provider-omni');
import client = require('@munja/client');

export const bytes: number = rules.countBytes('가');
export const review: typeof compliance.reviewRequest = compliance.reviewRequest;
export const next = (schedule: scheduling.Schedule): Date[] =>
  scheduling.nextOccurrences(schedule, new Date(0), 1);
export const error: kit.ProviderError = new kit.TransientError('503', 'later');
export const plugins: kit.PluginDefinition<unknown>[] = [
  sens.default,
  omni.default,
] as kit.PluginDefinition<unknown>[];
export type Harness = ConformanceHarness<unknown>;
export const munja = (apiKey: string): client.Munja =>
  new client.Munja({ baseUrl: 'http://127.0.0.1:3000', apiKey });
