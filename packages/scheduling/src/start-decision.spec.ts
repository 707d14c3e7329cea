import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { decideStart, DEFAULT_GRACE_MS } from './start-decision';

const due = new Date('2026-03-08T07:00:00.000Z');
const plus = (ms: number) => new Date(due.getTime() + ms);

describe('decideStart (the STALE rule)', () => {
  it('defaults to a 10-minute grace window', () => {
    expect(DEFAULT_GRACE_MS).toBe(600_000);
  });

  it.each([
    [-60_000, 'WAIT'],
    [-1, 'WAIT'],
    [0, 'START'],
    [1, 'START'],
    [599_999, 'START'],
    [600_000, 'START'], // due + 10:00.000 still starts
    [600_001, 'STALE'], // due + 10:00.001 is stale
    [3_600_000, 'STALE'],
  ])('due %+d ms → %s', (offset, action) => {
    expect(decideStart(due, plus(offset))).toEqual({ action, lateByMs: offset });
  });

  it('honours a custom grace window, including zero', () => {
    expect(decideStart(due, plus(30_000), 30_000).action).toBe('START');
    expect(decideStart(due, plus(30_001), 30_000).action).toBe('STALE');
    expect(decideStart(due, due, 0).action).toBe('START');
    expect(decideStart(due, plus(1), 0).action).toBe('STALE');
  });

  it.each([
    [new Date(Number.NaN), due, 600_000, 'dueAt'],
    [due, new Date(Number.NaN), 600_000, 'now'],
    [due, due, -1, 'graceMs'],
    [due, due, Number.POSITIVE_INFINITY, 'graceMs'],
  ])('refuses bad arguments (%#)', (dueAt, now, grace, field) => {
    expect(() => decideStart(dueAt, now, grace)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', field }),
    );
  });

  it('property: START exactly when 0 ≤ now − due ≤ grace', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e8 }), (late, grace) => {
        const { action } = decideStart(due, plus(late), grace);
        expect(action).toBe(late < 0 ? 'WAIT' : late <= grace ? 'START' : 'STALE');
      }),
    );
  });
});
