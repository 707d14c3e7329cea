/** How a faked vendor behaves; each vendor of the simulator has its own set, changeable at run time. */
export interface VendorKnobs {
  /** added to every response, in ms */
  latencyMs: number;
  /**
   * Probability per request of answering with an injected error instead of handling it, by the vendor's
   * own code: SENS uses HTTP statuses ('500', '503', '429'), OMNI its result codes ('A999', 'A020').
   */
  errorRates: Record<string, number>;
  /** requests per second accepted before the vendor's rate-limit answer; 0 = unlimited */
  rateLimitPerSecond: number;
  /** share of final delivery outcomes; the rest of 1 after delivered and failed is expired */
  outcomes: { delivered: number; failed: number };
  /** delay between accepting a message and its (final) delivery report, in ms */
  reportDelayMs: number;
}

export const DEFAULT_KNOBS: VendorKnobs = {
  latencyMs: 0,
  errorRates: {},
  rateLimitPerSecond: 0,
  outcomes: { delivered: 1, failed: 0 },
  reportDelayMs: 0,
};

export function knobsWith(overrides: Partial<VendorKnobs> = {}): VendorKnobs {
  return {
    ...DEFAULT_KNOBS,
    ...overrides,
    errorRates: { ...(overrides.errorRates ?? {}) },
    outcomes: { ...DEFAULT_KNOBS.outcomes, ...(overrides.outcomes ?? {}) },
  };
}

/** Fixed one-second window counter used by both vendors' rate limits. */
export class RateWindow {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly now: () => number) {}

  /** true when one more request fits in the current second under `perSecond` (0 = unlimited) */
  admit(perSecond: number): boolean {
    if (perSecond <= 0) return true;
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= perSecond;
  }

  /** ms until the current window ends */
  retryAfterMs(): number {
    return Math.max(0, 1000 - (this.now() - this.windowStart));
  }
}
