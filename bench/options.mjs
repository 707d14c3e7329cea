// `pnpm bench [--smoke] [--recipients N] [--database postgres|pglite] [--seconds S] [--warm-up-seconds S] [--offered-rate N] [--packages]
//   [--fuzz [--fuzz-runs N] [--fuzz-seed S]] [--bulk-memory]`
import { parseArgs } from 'node:util';
import { benchPostgresUrl } from './scratch-database.mjs';

export function benchOptions(argv) {
  const { values } = parseArgs({
    args: argv.filter((arg, i) => !(i === 0 && arg === '--')),
    options: {
      smoke: { type: 'boolean', default: false },
      recipients: { type: 'string' },
      database: { type: 'string', default: 'postgres' },
      seconds: { type: 'string' },
      'warm-up-seconds': { type: 'string' },
      'offered-rate': { type: 'string' },
      'json-requests': { type: 'string' },
      searches: { type: 'string' },
      fuzz: { type: 'boolean', default: false },
      'bulk-memory': { type: 'boolean', default: false },
      'fuzz-runs': { type: 'string' },
      'fuzz-seed': { type: 'string' },
    },
  });
  const smoke = values.smoke;
  const count = (name, text, fallback) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: not a positive integer: ${text}`);
    return n;
  };
  if (!['postgres', 'pglite'].includes(values.database))
    throw new Error(`--database: postgres or pglite, not ${values.database}`);
  return {
    smoke,
    database: values.database,
    /** recipients of the CSV bulk, all dispatched to COMPLETED */
    recipients: count('recipients', values.recipients, smoke ? 1000 : 100_000),
    /** how long each load phase (ceiling and single sends) lasts */
    seconds: count('seconds', values.seconds, smoke ? 3 : 10),
    /**
     * the same load before each measured phase (ceiling and single sends): a fresh service process takes 15-20 s
     * of it to reach its steady cost a send (docs/benchmarks.md, "A fresh process's first seconds")
     */
    warmUpSeconds: count('warm-up-seconds', values['warm-up-seconds'], smoke ? 1 : 20),
    /** single sends a second of `single_send_fixed_rate_p99` (the target's rate) */
    offeredRate: count('offered-rate', values['offered-rate'], 5000),
    /** 1,000-recipient JSON requests, timed one after another */
    jsonRequests: count('json-requests', values['json-requests'], smoke ? 2 : 10),
    searches: count('searches', values.searches, smoke ? 20 : 300),
    /** `--fuzz`: only the OpenAPI-driven fuzz, this many requests */
    fuzz: values.fuzz,
    /** `--bulk-memory`: only the memory a CSV upload adds (the largest file, a malformed one) */
    bulkMemory: values['bulk-memory'],
    fuzzRuns: count('fuzz-runs', values['fuzz-runs'], smoke ? 2000 : 20_000),
    fuzzSeed: count('fuzz-seed', values['fuzz-seed'], 16),
    /** the server holding the scratch databases (the CI and the machine's PostgreSQL by default) */
    postgresUrl: benchPostgresUrl,
  };
}
