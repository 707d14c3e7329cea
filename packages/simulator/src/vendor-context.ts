import { Counters } from './counters';
import { knobsWith, RateWindow, type VendorKnobs } from './knobs';
import { seededRandom, type SeededRandom } from './seeded-random';

/** What every faked vendor gets from the simulator shell: its knobs, counters, randomness and clock. */
export interface VendorContext {
  knobs: VendorKnobs;
  readonly counters: Counters;
  readonly random: SeededRandom;
  readonly rate: RateWindow;
  /** ms since epoch; a parameter so tests can move time (token expiry, signature windows) */
  readonly now: () => number;
}

export function createVendorContext(options: {
  knobs?: Partial<VendorKnobs>;
  seed: number;
  now: () => number;
}): VendorContext {
  return {
    knobs: knobsWith(options.knobs),
    counters: new Counters(),
    random: seededRandom(options.seed),
    rate: new RateWindow(options.now),
    now: options.now,
  };
}

/** Sleep for the configured latency, if any. */
export async function applyLatency(ctx: VendorContext): Promise<void> {
  if (ctx.knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.knobs.latencyMs));
}

/** The injected error code to answer with for this request, if the dice say so. */
export function pickInjectedError(ctx: VendorContext): string | undefined {
  for (const [code, probability] of Object.entries(ctx.knobs.errorRates)) {
    if (ctx.random.chance(probability)) return code;
  }
  return undefined;
}
