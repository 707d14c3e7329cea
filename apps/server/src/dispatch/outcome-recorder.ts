import type { RecordedStep } from '../lifecycle/message-queue';

/** How long the recorder keeps trying a write the database refused. */
export interface OutcomeRetry {
  /** first wait after a refused write; doubled each time up to maxBackoffMs */
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
  /** stop this long before the earliest lease of the outcomes ends: after it another worker may claim them */
  readonly leaseMarginMs: number;
}

/** Outcomes of one vendor call, held until written. */
interface Held {
  readonly steps: readonly RecordedStep[];
  /** the claim's lease end: past it the rows may be claimed and sent again, so holding them is pointless */
  readonly leaseUntil: number;
  readonly done: (recorded: boolean) => void;
}

/**
 * Writes outcomes as each vendor call returns. Calls that return while a write is running are written together
 * in the next one (group commit: one statement for many calls when they come fast, one per call when they come
 * slowly). A refused write (database error, connection lost) is retried with backoff while the outcomes' lease
 * still allows; only then are they given up, and their rows come back to the queue when the lease expires (the
 * one case where they are sent again).
 */
export class OutcomeRecorder {
  private held: Held[] = [];
  private writing = 0;

  constructor(
    private readonly write: (steps: readonly RecordedStep[]) => Promise<void>,
    private readonly now: () => number,
    private readonly retry: OutcomeRetry,
    private readonly onRefused: (error: unknown, steps: number, givenUp: boolean) => void,
    /** writes running at once (1 on PGlite, which runs one statement at a time) */
    private readonly writers: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves true once the outcomes are committed, false if they were given up. */
  record(steps: readonly RecordedStep[], leaseUntil: Date): Promise<boolean> {
    if (steps.length === 0) return Promise.resolve(true);
    return new Promise((done) => {
      this.held.push({ steps, leaseUntil: leaseUntil.getTime(), done });
      if (this.writing < this.writers) void this.writeHeld();
    });
  }

  /** Outcomes waiting or being written (for stop and tests). */
  get pending(): number {
    return this.held.length + this.writing;
  }

  private async writeHeld(): Promise<void> {
    this.writing += 1;
    try {
      while (this.held.length > 0) {
        const group = this.held;
        this.held = [];
        await this.writeGroup(group);
      }
    } finally {
      this.writing -= 1;
    }
  }

  private async writeGroup(group: Held[]): Promise<void> {
    let backoff = this.retry.firstBackoffMs;
    let live = group;
    for (;;) {
      try {
        await this.write(live.flatMap((h) => h.steps));
        for (const h of live) h.done(true);
        return;
      } catch (error) {
        const retryBefore = (h: Held) => h.leaseUntil - this.retry.leaseMarginMs;
        const wakeAt = this.now() + backoff;
        const givenUp = live.filter((h) => wakeAt >= retryBefore(h));
        live = live.filter((h) => wakeAt < retryBefore(h));
        this.onRefused(error, givenUp.length > 0 ? count(givenUp) : count(live), givenUp.length > 0);
        for (const h of givenUp) h.done(false);
        if (live.length === 0) return;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.retry.maxBackoffMs);
      }
    }
  }
}

const count = (held: readonly Held[]) => held.reduce((n, h) => n + h.steps.length, 0);
