/**
 * Per-plugin slow-down after the vendor's rate-limit answer: no new claims for that plugin until the time it
 * asked for (in this process; other processes learn it from their own 429s). Times are on the injected clock.
 */
export class PluginThrottle {
  private readonly until = new Map<string, number>();

  slowDown(pluginId: string, now: Date, retryAfterMs: number): void {
    const until = now.getTime() + Math.max(0, retryAfterMs);
    if (until > (this.until.get(pluginId) ?? 0)) this.until.set(pluginId, until);
  }

  /** Plugins that must not be sent to at `now`. */
  throttled(now: Date): string[] {
    const list: string[] = [];
    for (const [pluginId, until] of this.until) {
      if (until > now.getTime()) list.push(pluginId);
      else this.until.delete(pluginId);
    }
    return list;
  }

  isThrottled(pluginId: string, now: Date): boolean {
    return (this.until.get(pluginId) ?? 0) > now.getTime();
  }

  remainingMs(pluginId: string, now: Date): number {
    return Math.max(0, (this.until.get(pluginId) ?? 0) - now.getTime());
  }
}
