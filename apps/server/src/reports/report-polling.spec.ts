import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import type { ReportPoller } from './report-poller';
import { ReportPolling } from './reports.module';

/** A poller whose ticks say, in turn, whether they stopped behind (at their round limit, reports stored). */
function pollerBehind(answers: boolean[]): { poller: ReportPoller; ticks: () => number } {
  let ticks = 0;
  let behind = false;
  const poller = {
    tick: async () => {
      behind = answers[ticks] ?? false;
      ticks += 1;
      return 0;
    },
    get behind() {
      return behind;
    },
  } as unknown as ReportPoller;
  return { poller, ticks: () => ticks };
}

const config = { get: () => 60_000 } as unknown as ConfigService<Environment, true>;
const settle = async () => {
  for (let i = 0; i < 10; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('report polling', () => {
  it('follows a tick that stopped behind with the next one at once, until one finishes', async () => {
    const { poller, ticks } = pollerBehind([true, true, false]);
    const polling = new ReportPolling(poller, config);
    await polling.pollNow();
    await settle();
    expect(ticks()).toBe(3);
  });

  it('leaves the next tick to the interval when the tick was not behind, and stops when shutting down', async () => {
    const finished = pollerBehind([false]);
    await new ReportPolling(finished.poller, config).pollNow();
    await settle();
    expect(finished.ticks()).toBe(1);

    const behind = pollerBehind([true, true, true]);
    const polling = new ReportPolling(behind.poller, config);
    const first = polling.pollNow();
    await polling.beforeApplicationShutdown();
    await first;
    await settle();
    expect(behind.ticks()).toBe(1);
  });
});
