import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

interface FuzzResult {
  requests: number;
  byStatus: Record<string, number>;
  failures: unknown[];
  readyAfter: number;
}
interface FuzzModule {
  fuzzService(options: {
    baseUrl: string;
    projectKey: string;
    operatorKey: string;
    runs: number;
    seed?: number;
    concurrency?: number;
  }): Promise<FuzzResult>;
}

/** The same fuzz `pnpm bench --fuzz` runs with 20,000 requests (bench/fuzz/openapi-fuzz.mjs). */
const FUZZ_MODULE = join(__dirname, '..', '..', '..', 'bench', 'fuzz', 'openapi-fuzz.mjs');
const RUNS = Number(process.env.MUNJA_FUZZ_RUNS ?? 2000);

describe('the whole API under fuzzed requests (driven by /docs-json)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Wrong keys are part of the fuzz: a high failure budget keeps them reaching the 401 path (the limiter still runs).
    t = await startTestApp({ env: { MUNJA_AUTH_FAILURE_LIMIT: '1000000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`answers ${RUNS} generated requests with no 5xx, every 4xx in the error shape, and stays ready`, async () => {
    const project = await sendingProject(t, 'Fuzzed', { optOut: true });
    const { fuzzService } = (await import(FUZZ_MODULE)) as FuzzModule;
    const result = await fuzzService({
      baseUrl: t.url,
      projectKey: project.apiKey,
      operatorKey: t.operatorKey,
      runs: RUNS,
      seed: Number(process.env.MUNJA_FUZZ_SEED ?? 16),
    });
    if (process.env.MUNJA_FUZZ_REPORT) process.stderr.write(`fuzz: ${JSON.stringify(result.byStatus)}\n`);
    expect(result.failures.slice(0, 5)).toEqual([]);
    expect(result.requests).toBe(RUNS);
    // The generated requests reach past validation too (some are accepted), not only refusals.
    const accepted = Object.entries(result.byStatus)
      .filter(([status]) => Number(status) < 300)
      .reduce((sum, [, count]) => sum + count, 0);
    expect(accepted).toBeGreaterThan(RUNS / 50);
    expect(result.readyAfter).toBe(200);
  }, 600_000);
});
