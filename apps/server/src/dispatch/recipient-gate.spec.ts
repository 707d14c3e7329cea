import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RecipientGate } from './recipient-gate';

describe('RecipientGate', () => {
  it('never lets more than its capacity out, and grants every waiter in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 40 }),
        async (capacity, asked) => {
          const gate = new RecipientGate(capacity);
          const weights = asked.map((w) => Math.min(w, capacity));
          const granted: number[] = [];
          let peak = 0;
          const all = weights.map((w, i) =>
            gate.acquire(w).then(() => {
              granted.push(i);
              peak = Math.max(peak, gate.inUse);
            }),
          );
          // release in grant order until everyone got through
          for (let done = 0; done < weights.length; done += 1) {
            while (granted.length <= done) await Promise.resolve();
            gate.release(weights[granted[done]!]!);
          }
          await Promise.all(all);
          expect(peak).toBeLessThanOrEqual(capacity);
          expect(granted).toEqual(weights.map((_, i) => i));
          expect(gate.inUse).toBe(0);
        },
      ),
    );
  });

  it('refuses a share larger than the whole gate, and a release of more than was taken', async () => {
    const gate = new RecipientGate(400);
    await expect(gate.acquire(401)).rejects.toThrow(RangeError);
    await gate.acquire(400);
    expect(gate.inUse).toBe(400);
    let second = false;
    const waiting = gate.acquire(1).then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    gate.release(400);
    await waiting;
    expect(gate.inUse).toBe(1);
    expect(() => gate.release(2)).toThrow('released more');
  });
});
