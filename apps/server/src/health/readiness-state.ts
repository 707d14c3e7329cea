import { Logger } from '@nestjs/common';

/** One readiness check's outcome: up, or down with a short reason. */
export interface CheckOutcome {
  status: 'up' | 'down';
  reason?: string;
}

/**
 * Remembers the last readiness answer so a change is logged once (not on every probe of a load balancer):
 * "not ready: database: …" when it goes down or its reasons change, "ready again" when it comes back.
 */
export class ReadinessState {
  private readonly logger = new Logger('Readiness');
  private last: string | undefined;

  record(checks: Record<string, CheckOutcome>): void {
    const failing = Object.entries(checks)
      .filter(([, outcome]) => outcome.status === 'down')
      .map(([name, outcome]) => `${name}: ${outcome.reason ?? 'down'}`);
    const now = failing.length === 0 ? 'ready' : `not ready: ${failing.join('; ')}`;
    if (now === this.last) return;
    const first = this.last === undefined;
    this.last = now;
    if (failing.length > 0) this.logger.warn(now);
    else if (!first) this.logger.log('ready again');
  }
}
