// `pnpm bench --fuzz [--fuzz-runs N]`: the OpenAPI-driven fuzz (fuzz/openapi-fuzz.mjs) against a full service
// process (dispatch on), with a project that can send. Figures: 5xx answers and 4xx answers not in the error
// shape (both must be 0), and /health/ready afterwards.
import { fuzzService } from '../fuzz/openapi-fuzz.mjs';
import { note } from '../figure.mjs';

export async function fuzzFigures(service, { runs, seed }) {
  const started = Date.now();
  const result = await fuzzService({
    baseUrl: service.client.baseUrl,
    projectKey: service.project.key,
    operatorKey: service.operatorKey,
    runs,
    seed,
    concurrency: 16,
    onProgress: (done) => note(`fuzz: ${done} of ${runs} requests`),
  });
  const seconds = (Date.now() - started) / 1000;
  const serverErrors = result.failures.filter((f) => f.status === undefined || f.status >= 500).length;
  for (const failure of result.failures.slice(0, 20)) note(`fuzz failure: ${JSON.stringify(failure)}`);
  return {
    lines: [
      {
        figure: 'fuzz_5xx',
        value: serverErrors,
        unit: 'answers',
        target: 0,
        atMost: true,
        requests: result.requests,
        seed,
        seconds: Number(seconds.toFixed(1)),
        byStatus: result.byStatus,
        readinessNotReady: result.notReady,
      },
      {
        figure: 'fuzz_error_shape_violations',
        value: result.failures.length - serverErrors,
        unit: 'answers',
        target: 0,
        atMost: true,
      },
      { figure: 'fuzz_ready_after', value: result.readyAfter, unit: 'status', target: 200, atMost: true },
    ],
    failed: result.failures.length > 0 || result.readyAfter !== 200,
  };
}
