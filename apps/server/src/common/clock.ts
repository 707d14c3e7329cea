/** The current time, injected so tests can move it (reservations, expiry). Never call `new Date()` in logic. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
