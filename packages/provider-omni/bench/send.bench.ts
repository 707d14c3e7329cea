// Bench: 10,000 messages through @munja/provider-omni to the faked OMNI running in ANOTHER process, over
// loopback HTTP (undici Pool, keep-alive), then every delivery report polled back and acknowledged. Prints
// JSON lines: send throughput, report throughput, and the simulator's own counters, which must show every
// message arrived exactly once (the bench exits 1 otherwise).
//
// The simulator process is the built CLI when it offers a counters endpoint (GET /_sim/counters); otherwise
// bench/omni-sim-process.ts, which runs the same simulator and serves the counters itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  ProviderError,
  type Channel,
  type DeliveryReport,
  type OutboundMessage,
  type PluginContext,
} from '@munja/provider-kit';
import { DEFAULT_OMNI_CREDENTIALS } from '@munja/simulator';
import { request } from 'undici';
import omniPlugin from '../src';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 10_000);
/** what one dispatcher claim hands a plugin */
const BATCH = 1_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const FAULT_RATE = 0.05;
const WARMUP = 1_000;

interface SimulatorProcess {
  child: ChildProcess;
  url: string;
  countersUrl: string;
  kind: string;
}

/** Start a process, resolve with the first simulator URL it announces (JSON ready line or "listening on …"). */
function launch(
  command: string,
  args: string[],
): Promise<{ child: ChildProcess; url: string; countersUrl?: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(__dirname, '..') });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no ready line in 20 s`)), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let found: { url: string; countersUrl?: string } | undefined;
      if (line.startsWith('{')) {
        const event = JSON.parse(line) as { event?: string; url?: string; countersUrl?: string };
        if (event.event === 'ready' && event.url) found = { url: event.url, countersUrl: event.countersUrl };
      } else {
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match?.[1]) found = { url: match[1] };
      }
      if (found) {
        clearTimeout(timer);
        resolve({ child, ...found });
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)));
  });
}

async function countersAt(url: string): Promise<Record<string, Record<string, number>> | undefined> {
  try {
    const res = await request(url);
    if (res.statusCode !== 200) {
      await res.body.dump();
      return undefined;
    }
    return (await res.body.json()) as Record<string, Record<string, number>>;
  } catch {
    return undefined;
  }
}

async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const cli = join(__dirname, '..', '..', 'simulator', 'dist', 'cli.js');
  try {
    const started = await launch(process.execPath, [cli, '--port', '0', '--quiet', '--seed', '1']);
    const countersUrl = started.countersUrl ?? `${started.url}/_sim/counters`;
    if ((await countersAt(countersUrl))?.omni !== undefined)
      return { ...started, countersUrl, kind: 'munja-simulator CLI' };
    started.child.kill('SIGTERM');
  } catch {
    // no usable CLI build: fall through to the stand-in
  }
  const script = join(__dirname, 'omni-sim-process.ts');
  const started = await launch(process.execPath, ['--import', 'tsx', script, '1']);
  return { ...started, countersUrl: started.countersUrl!, kind: 'bench/omni-sim-process.ts' };
}

/** 80 % international (GSM-7 and UCS-2, 1–3 parts, four countries), 20 % domestic SMS. */
function messageAt(i: number): OutboundMessage {
  const n = String(i).padStart(7, '0');
  const base = { ref: `omni-bench-${i}`, contentType: 'COMM' as const, from: '0310000000' };
  if (i % 5 === 4)
    return {
      ...base,
      channel: 'SMS' satisfies Channel,
      to: `010${n}9`,
      countryCode: '82',
      content: `[Munja] 인증번호 ${n}`,
    };
  const kind = i % 4;
  if (kind === 0)
    return { ...base, channel: 'INTL', to: `415${n}`, countryCode: '1', content: `Munja code ${n}` };
  if (kind === 1)
    return {
      ...base,
      channel: 'INTL',
      to: `79${n}1`,
      countryCode: '44',
      content: `Munja: ${'your order is on its way. '.repeat(8)}${n}`,
    };
  if (kind === 2)
    return {
      ...base,
      channel: 'INTL',
      to: `138${n}1`,
      countryCode: '86',
      content: `【Munja】验证码 ${n}，五分钟内有效。`,
    };
  return {
    ...base,
    channel: 'INTL',
    to: `90${n}1`,
    countryCode: '81',
    content: `Munja: ご注文の商品を発送しました。番号 ${n} ${'お届けまで少々お待ちください。'.repeat(3)}`,
  };
}

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body.dump();
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const sim = await startSimulatorProcess();
  const context: PluginContext = {
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    now: () => new Date(),
  };
  const provider = omniPlugin.create(
    omniPlugin.validateConfig({
      ...DEFAULT_OMNI_CREDENTIALS,
      baseUrl: sim.url,
      connections: CONCURRENCY,
      sendConcurrency: CONCURRENCY,
    }),
    context,
  );
  try {
    // Warm-up (JIT, keep-alive connections, token), not measured; the counters are reset after it.
    const warmup = Array.from({ length: WARMUP }, (_, i) => messageAt(3 * TOTAL + i));
    for (let i = 0; i < warmup.length; i += BATCH) await provider.send(warmup.slice(i, i + BATCH));
    await post(`${sim.url}/_sim/omni/reset`, {});

    const messages = Array.from({ length: TOTAL }, (_, i) => messageAt(i));
    const started = performance.now();
    const accepted = new Map<string, string>();
    let rejected = 0;
    for (let i = 0; i < messages.length; i += BATCH) {
      for (const outcome of await provider.send(messages.slice(i, i + BATCH))) {
        if (outcome.accepted) accepted.set(outcome.ref, outcome.vendorMessageId);
        else rejected += 1;
      }
    }
    const sendMs = performance.now() - started;
    const international = messages.filter((m) => m.channel === 'INTL').length;
    console.log(
      JSON.stringify({
        bench: 'provider-omni send',
        messages: TOTAL,
        international,
        domesticSms: TOTAL - international,
        accepted: accepted.size,
        rejected,
        distinctMsgKeys: new Set(accepted.values()).size,
        ms: Math.round(sendMs),
        messagesPerSecond: Math.round((TOTAL / sendMs) * 1000),
        concurrency: CONCURRENCY,
        simulator: `separate process (${sim.kind})`,
      }),
    );

    // Every report back by polling, each batch acknowledged (DELETE) before the next is handed out.
    const expectedReports = international * 2 + (TOTAL - international);
    const reports: DeliveryReport[] = [];
    let batches = 0;
    const pollStarted = performance.now();
    while (reports.length < expectedReports && performance.now() - pollStarted < 120_000) {
      const batch = await provider.pollReports!({ limit: 1000 });
      reports.push(...batch.reports);
      await batch.acknowledge();
      if (batch.reports.length > 0) batches += 1;
      else await sleep(20);
    }
    const pollMs = performance.now() - pollStarted;
    const finals = new Map<string, DeliveryReport>();
    for (const r of reports) if (r.status !== 'SENT') finals.set(r.vendorMessageId, r);
    const msgKeys = new Set(accepted.values());
    console.log(
      JSON.stringify({
        bench: 'provider-omni pollReports',
        reports: reports.length,
        expectedReports,
        batches,
        relayAcceptances: reports.filter((r) => r.status === 'SENT').length,
        finalReportsForOurMessages: [...finals.keys()].filter((k) => msgKeys.has(k)).length,
        ms: Math.round(pollMs),
        reportsPerSecond: Math.round((reports.length / pollMs) * 1000),
      }),
    );

    const omni = (await countersAt(sim.countersUrl))?.omni;
    if (omni === undefined) throw new Error('simulator counters unavailable');
    const exactlyOnce =
      omni.messages === TOTAL &&
      omni.distinctRecipients === TOTAL &&
      omni.duplicateRecipients === 0 &&
      omni.duplicateRefs === 0 &&
      accepted.size === TOTAL &&
      msgKeys.size === TOTAL &&
      omni.reportsDelivered === expectedReports;
    console.log(JSON.stringify({ bench: 'simulator counters (OMNI)', ...omni, exactlyOnce }));
    if (!exactlyOnce) process.exitCode = 1;

    // Phase 2: the same volume with 5 % injected A999 faults; only what came back retryable is sent again.
    await post(`${sim.url}/_sim/omni/reset`, {});
    await post(`${sim.url}/_sim/omni/knobs`, { errorRates: { A999: FAULT_RATE } });
    const second = Array.from({ length: TOTAL }, (_, i) => messageAt(TOTAL + i));
    const faultStarted = performance.now();
    const taken = new Map<string, string>();
    let pending = second;
    let resent = 0;
    let rounds = 0;
    for (; pending.length > 0 && rounds < 50; rounds += 1) {
      const retry: OutboundMessage[] = [];
      for (let i = 0; i < pending.length; i += BATCH) {
        const batch = pending.slice(i, i + BATCH);
        try {
          const outcomes = await provider.send(batch);
          const byRef = new Map(batch.map((m) => [m.ref, m]));
          for (const o of outcomes) {
            if (o.accepted) taken.set(o.ref, o.vendorMessageId);
            else if (o.retryable) retry.push(byRef.get(o.ref)!);
            else throw new Error(`permanent rejection ${o.code}: ${o.message}`);
          }
        } catch (error) {
          if (!(error instanceof ProviderError) || !error.retryable) throw error;
          retry.push(...batch);
        }
      }
      resent += retry.length;
      pending = retry;
    }
    const faultMs = performance.now() - faultStarted;
    const faulty = (await countersAt(sim.countersUrl))?.omni;
    if (faulty === undefined) throw new Error('simulator counters unavailable');
    const onceUnderFaults =
      faulty.messages === TOTAL &&
      faulty.duplicateRefs === 0 &&
      faulty.duplicateRecipients === 0 &&
      taken.size === TOTAL &&
      new Set(taken.values()).size === TOTAL;
    console.log(
      JSON.stringify({
        bench: 'provider-omni send under faults',
        faultRate: FAULT_RATE,
        messages: TOTAL,
        accepted: taken.size,
        resent,
        rounds,
        ms: Math.round(faultMs),
        messagesPerSecond: Math.round((TOTAL / faultMs) * 1000),
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'simulator counters (OMNI, under faults)',
        ...faulty,
        exactlyOnce: onceUnderFaults,
      }),
    );
    if (!onceUnderFaults) process.exitCode = 1;
  } finally {
    await provider.close?.();
    sim.child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
