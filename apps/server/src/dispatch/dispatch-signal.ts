/** The channel senders NOTIFY after committing queued messages. */
export const DISPATCH_CHANNEL = 'munja_dispatch';

/**
 * Wakes this process's dispatch workers. Fed by LISTEN munja_dispatch on a PostgreSQL server, and callable
 * in-process (`wake()`), which is what works on the embedded PGlite: pglite-socket delivers no NOTIFY to
 * other connections (probed: neither a socket client's LISTEN nor PGlite's own listen() hears it), and there
 * the sender is always in this process.
 */
export class DispatchSignal {
  private waiters: (() => void)[] = [];
  private pending = false;

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    if (waiters.length === 0) this.pending = true;
    for (const resolve of waiters) resolve();
  }

  /** Resolves on the next wake() (or at once if one came since the last wait), or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.waiters.push(finish);
    });
  }
}
