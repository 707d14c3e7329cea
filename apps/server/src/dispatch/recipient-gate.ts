/**
 * Bounds the recipients this process has out at vendors whose outcome is not yet recorded. A share is taken
 * before a vendor call and given back once its outcomes are committed (or given up), so a crash can repeat at
 * most `capacity` messages: the ones whose call went out and whose vendor ids nothing recorded.
 */
export class RecipientGate {
  private used = 0;
  private readonly waiting: { weight: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity}`);
  }

  /** Recipients currently out (for tests and logs). */
  get inUse(): number {
    return this.used;
  }

  /** Waits until `weight` recipients fit, first come first served; `weight` above capacity is refused. */
  acquire(weight: number): Promise<void> {
    if (!Number.isInteger(weight) || weight < 1 || weight > this.capacity)
      return Promise.reject(new RangeError(`weight ${weight} outside 1..${this.capacity}`));
    if (this.waiting.length === 0 && this.used + weight <= this.capacity) {
      this.used += weight;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ weight, grant }));
  }

  release(weight: number): void {
    this.used -= weight;
    if (this.used < 0) throw new Error('released more recipients than were taken');
    while (this.waiting.length > 0 && this.used + this.waiting[0]!.weight <= this.capacity) {
      const next = this.waiting.shift()!;
      this.used += next.weight;
      next.grant();
    }
  }
}
