// Bench: 10,000 messages through @munja/provider-sens to the faked SENS running in another process (the built
// simulator CLI), over loopback HTTP. Prints JSON lines: throughput, then the simulator's own counters, which
// must show every message arrived exactly once (the bench exits 1 otherwise).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OutboundMessage, PluginContext } from '@munja/provider-kit';
import { SENS_DEFAULTS } from '@munja/simulator';
import { request } from 'undici';
import sensPlugin from '../src';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 10_000);
const BATCH = 1_000; // what one server claim hands a plugin
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function startSimulatorProcess(): Promise<{ child: ChildProcess; url: string }> {
  const cli = join(__dirname, '..', '..', 'simulator', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, '--port', '0', '--quiet', '--seed', '1'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { event?: string; url?: string };
      if (event.event === 'ready' && event.url) resolve({ child, url: event.url });
    });
    child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
  });
}

async function main(): Promise<void> {
  const { child, url } = await startSimulatorProcess();
  const context: PluginContext = {
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    now: () => new Date(),
  };
  const provider = sensPlugin.create(
    sensPlugin.validateConfig({
      serviceId: SENS_DEFAULTS.serviceId,
      accessKey: SENS_DEFAULTS.accessKey,
      secretKey: SENS_DEFAULTS.secretKey,
      baseUrl: url,
      concurrency: CONCURRENCY,
    }),
    context,
  );
  try {
    const messages: OutboundMessage[] = Array.from({ length: TOTAL }, (_, i) => ({
      ref: `bench-${i}`,
      channel: 'SMS',
      contentType: 'COMM',
      from: SENS_DEFAULTS.callingNumbers[0],
      to: `010${String(i).padStart(8, '0')}`,
      countryCode: '82',
      // every tenth recipient gets its own text: exercises the messages[] overrides
      content: i % 10 === 0 ? `[Munja] ${i}님, 예약이 확정되었습니다.` : '[Munja] 예약이 확정되었습니다.',
    }));

    const started = performance.now();
    const accepted: Array<{ ref: string; vendorMessageId: string; vendorRequestId?: string }> = [];
    let rejected = 0;
    for (let i = 0; i < messages.length; i += BATCH) {
      for (const outcome of await provider.send(messages.slice(i, i + BATCH))) {
        if (outcome.accepted) accepted.push(outcome);
        else rejected += 1;
      }
    }
    const sendMs = performance.now() - started;
    console.log(
      JSON.stringify({
        bench: 'provider-sens send',
        messages: TOTAL,
        accepted: accepted.length,
        rejected,
        distinctVendorMessageIds: new Set(accepted.map((o) => o.vendorMessageId)).size,
        ms: Math.round(sendMs),
        messagesPerSecond: Math.round((TOTAL / sendMs) * 1000),
        concurrency: CONCURRENCY,
        simulator: 'separate process',
      }),
    );

    const pollStarted = performance.now();
    const polled = await provider.pollReports!({
      pending: accepted.map((o) => ({ ...o, sentAt: new Date() })),
      limit: accepted.length,
    });
    const pollMs = performance.now() - pollStarted;
    console.log(
      JSON.stringify({
        bench: 'provider-sens pollReports',
        pending: accepted.length,
        reports: polled.reports.length,
        delivered: polled.reports.filter((r) => r.status === 'DELIVERED').length,
        ms: Math.round(pollMs),
        reportsPerSecond: Math.round((polled.reports.length / pollMs) * 1000),
      }),
    );

    const counters = (await (await request(`${url}/_sim/counters`)).body.json()) as {
      sens: Record<string, number>;
    };
    const sens = counters.sens;
    const exactlyOnce =
      sens.messages === TOTAL &&
      sens.distinctRecipients === TOTAL &&
      sens.duplicateRecipients === 0 &&
      accepted.length === TOTAL &&
      new Set(accepted.map((o) => o.vendorMessageId)).size === TOTAL;
    console.log(JSON.stringify({ bench: 'simulator counters (SENS)', ...sens, exactlyOnce }));
    if (!exactlyOnce) process.exitCode = 1;
  } finally {
    await provider.close?.();
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
