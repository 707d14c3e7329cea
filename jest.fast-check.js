// Every property test runs from one fixed seed, so `npm test` answers the same on every run and every machine:
// a counterexample that a random seed happens on once in dozens of runs fails an unrelated change's CI run and
// cannot be replayed from its log. New inputs are looked for on purpose instead: FC_SEED=random draws a seed per
// property (fast-check prints it with any failure), FC_SEED=<integer> replays one.
const fc = require('fast-check');

const DEFAULT_SEED = 20261207;
const asked = process.env.FC_SEED;

if (asked !== 'random') {
  const seed = asked === undefined || asked === '' ? DEFAULT_SEED : Number(asked);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(asked)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
