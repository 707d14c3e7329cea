import { AsyncLocalStorage } from 'node:async_hooks';

interface Attempt {
  /** closers of what this start-up opened, in the order it was opened */
  readonly closers: (() => Promise<void>)[];
  failed: boolean;
}

/** The start-up (closeOnFailedStart call) that the current code runs in, if any. */
const currentAttempt = new AsyncLocalStorage<Attempt>();
let attemptsUnderWay = 0;

/**
 * Opens something for a start-up (an embedded database, the data source's connection pool) so that, if the
 * start-up fails, it is closed as soon as its opening settles. Once the start-up has failed, nothing more is
 * opened: Nest goes on creating the providers of other modules after one has failed, and a provider opening
 * then gets a promise that never settles (its module is never used; a rejection would only make TypeORM log
 * and retry). Outside closeOnFailedStart it just opens.
 */
export function openForStart<T>(open: () => Promise<T>, close: (opened: T) => Promise<unknown>): Promise<T> {
  const attempt = currentAttempt.getStore();
  if (!attempt) return open();
  if (attempt.failed) return new Promise<T>(() => undefined);
  const opening = open();
  attempt.closers.push(async () => {
    const opened = await opening.then(
      (value) => ({ value }),
      () => undefined,
    );
    if (opened) await close(opened.value);
  });
  return opening;
}

/**
 * Runs a start-up; if it fails, closes everything opened with openForStart during it (last opened first: the
 * data source before the embedded database it is connected to) before passing the failure on. Nest has no
 * application to close when a provider fails (a plugin's configuration, say), and what other providers were
 * opening meanwhile would otherwise stay open: a connection pool's checked-out client raised an unhandled
 * 'error' when its database was later dropped, and a PGlite held the process open.
 */
export async function closeOnFailedStart<T>(startUp: () => Promise<T>): Promise<T> {
  const attempt: Attempt = { closers: [], failed: false };
  attemptsUnderWay += 1;
  try {
    return await currentAttempt.run(attempt, startUp);
  } catch (error) {
    attempt.failed = true;
    for (const close of attempt.closers.reverse()) await close().catch(() => undefined);
    throw error;
  } finally {
    // An enabled AsyncLocalStorage keeps Node's promise hooks on for the life of the process (Node 20): every
    // promise of every request then paid for propagating this start-up's store (~4 % of a single send's CPU).
    attemptsUnderWay -= 1;
    if (attemptsUnderWay === 0) currentAttempt.disable();
  }
}
