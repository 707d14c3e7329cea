// Jest's test order for the server (jest.config.js testSequencer): longest file first, so that the workers
// finish together instead of one running a long file alone at the end.
//
// Jest's own sequencer already does that once it has timings (its cache, from the previous run); without them
// (a fresh clone, CI) it orders by file size, and the multi-process and volume files are short files that run
// long: they came last and one worker ran them while the other was idle. So without a cached timing a file is
// placed by the seconds below (measured on a quiet 2-core machine, `jest --json`: endTime - startTime per file),
// and a file not listed by its size (about 2 KB a second for these files). They only order the files: an old
// figure costs some balance, never a failure.
const { dirname, relative } = require('node:path');

// Jest's @jest/test-sequencer, found from jest itself (it is not a dependency of this package).
const jestCore = dirname(require.resolve('@jest/core/package.json', { paths: [require.resolve('jest')] }));
const Sequencer = require(require.resolve('@jest/test-sequencer', { paths: [jestCore] })).default;

const EXPECTED_SECONDS = {
  'test/api.e2e.spec.ts': 67,
  'test/sending.e2e.spec.ts': 52,
  'test/start-up-processes.e2e.spec.ts': 36,
  'test/bulk-volume.e2e.spec.ts': 35,
  'test/dispatching.e2e.spec.ts': 32,
  'test/dispatch-kill.e2e.spec.ts': 29,
  'test/webhooks-retention.e2e.spec.ts': 25,
  'test/fuzz.e2e.spec.ts': 20,
  'test/secrets-in-logs.e2e.spec.ts': 14,
  'test/start-up.e2e.spec.ts': 13,
  'src/database/embedded-postgres.spec.ts': 12,
  'test/schedules-processes.e2e.spec.ts': 9,
  'test/upgrade-layout.e2e.spec.ts': 9,
  'test/database-lost.e2e.spec.ts': 6,
  'test/send-batch-events.e2e.spec.ts': 6,
  'test/dispatch-pglite-concurrency.e2e.spec.ts': 6,
};
const BYTES_PER_SECOND = 2000;

class LongestFirstSequencer extends Sequencer {
  /** milliseconds: the cached timing of the last run, else the figure above, else by size */
  time(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    const { rootDir } = test.context.config;
    const seconds = EXPECTED_SECONDS[relative(rootDir, test.path).split('\\').join('/')];
    if (seconds != null) return seconds * 1000;
    return ((test.context.hasteFS.getSize(test.path) ?? 0) / BYTES_PER_SECOND) * 1000;
  }
}

module.exports = LongestFirstSequencer;
