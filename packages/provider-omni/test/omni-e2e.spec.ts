import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  ProviderError,
  type DeliveryReport,
  type OutboundMessage,
  type PluginContext,
  type SendOutcome,
} from '@munja/provider-kit';
import { DEFAULT_OMNI_CREDENTIALS, startSimulator, type RunningSimulator } from '@munja/simulator';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import omniPlugin, { webhookAnswer, type OmniProvider } from '../src';

// Plugin behaviour the conformance suite does not pin down, over loopback against the faked OMNI, with one
// clock shared by the simulator and the plugin so token expiry can be walked through.
// loopback HTTP on a shared 2-core machine: generous per-test time, never a timing assertion
jest.setTimeout(30_000);

let clock = Date.parse('2026-11-22T00:00:00Z');
let sim: RunningSimulator;
let seq = 0;
const open: OmniProvider[] = [];

const context: PluginContext = {
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  now: () => new Date(clock),
};

function provider(overrides: Record<string, unknown> = {}, ctx: PluginContext = context): OmniProvider {
  const config = omniPlugin.validateConfig({
    ...DEFAULT_OMNI_CREDENTIALS,
    baseUrl: sim.url,
    reports: 'both',
    ...overrides,
  });
  const p = omniPlugin.create(config, ctx) as OmniProvider;
  open.push(p);
  return p;
}

function intl(content = 'Your code is 123456'): OutboundMessage {
  seq += 1;
  return {
    ref: `e2e-${seq}`,
    channel: 'INTL',
    contentType: 'COMM',
    from: '0310000000',
    to: `2079${String(seq).padStart(6, '0')}`,
    countryCode: '44',
    content,
  };
}

function sms(): OutboundMessage {
  seq += 1;
  return {
    ref: `e2e-${seq}`,
    channel: 'SMS',
    contentType: 'COMM',
    from: '0310000000',
    to: `010${String(seq).padStart(8, '0')}`,
    countryCode: '82',
    content: '인증번호 123456',
  };
}

const accepted = (outcomes: SendOutcome[]) => outcomes.filter((o) => o.accepted).length;
const many = (n: number, make: () => OutboundMessage = intl) => Array.from({ length: n }, make);

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, now: () => clock });
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
  sim.omni.reset();
  sim.omni.setTokenLifetimeMs(24 * 3600_000);
  sim.omni.revokeTokens();
});

describe('token', () => {
  it('a cold start with 50 concurrent messages issues one token', async () => {
    const p = provider({ sendConcurrency: 50 });
    const before = sim.omni.tokensIssued();
    expect(accepted(await p.send(many(50)))).toBe(50);
    expect(sim.omni.tokensIssued() - before).toBe(1);
    expect(p.tokenCalls).toBe(1);
  });

  it('refreshes before expiry: no request ever meets an expired token', async () => {
    sim.omni.setTokenLifetimeMs(60_000);
    const p = provider();
    await p.send(many(2));
    clock += 53_999; // inside the lifetime, outside a tenth of it before expiry: still cached
    await p.send(many(2));
    expect(p.tokenCalls).toBe(1);
    clock += 1; // 54 s = 60 s − 6 s margin: refresh now, before the vendor would say A001
    await p.send(many(2));
    expect(p.tokenCalls).toBe(2);
    expect(sim.omni.ctx.counters.rejectedRequests).toBe(0);
  });

  it('on A001 refreshes once and retries: 20 concurrent requests share that one refresh', async () => {
    const p = provider({ sendConcurrency: 20 });
    await p.send(many(1));
    sim.omni.revokeTokens(); // e.g. the vendor's clock is ahead of ours: every cached token is now refused
    const before = sim.omni.tokensIssued();
    const messages = many(20);
    expect(accepted(await p.send(messages))).toBe(20);
    expect(sim.omni.tokensIssued() - before).toBe(1);
    for (const m of messages) expect(sim.omni.ctx.counters.byRef.get(m.ref)).toBe(1);
    expect(sim.omni.ctx.counters.rejectedRequests).toBe(20); // the twenty A001 answers, nothing else
  });

  it('a second A001 after the refresh is an authentication failure, not a loop', async () => {
    const p = provider();
    await p.send(many(1));
    // the refresh works but its token is refused at once: the fake issues tokens that expire immediately
    sim.omni.setTokenLifetimeMs(0);
    sim.omni.revokeTokens();
    const before = sim.omni.tokensIssued();
    const error = await p.send(many(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('AUTHENTICATION');
    expect(sim.omni.tokensIssued() - before).toBe(1);
  });

  it('never puts the password in an error or health detail', async () => {
    sim.omni.setCredentials({ ...DEFAULT_OMNI_CREDENTIALS, password: 'changed' }, { revokeTokens: true });
    const p = provider();
    const error = (await p.send(many(1)).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(DEFAULT_OMNI_CREDENTIALS.password);
    const health = await p.health();
    expect(health.ok).toBe(false);
    expect(health.detail ?? '').not.toContain(DEFAULT_OMNI_CREDENTIALS.password);
  });
});

describe('sending', () => {
  it('an international text over 5 parts is a rejection of that message only; the vendor never sees it', async () => {
    const p = provider();
    const good = many(3);
    const long = intl('a'.repeat(766));
    const outcomes = await p.send([good[0]!, long, good[1]!, good[2]!]);
    expect(outcomes.find((o) => o.ref === long.ref)).toMatchObject({
      accepted: false,
      code: 'TOO_MANY_PARTS',
      retryable: false,
    });
    expect(accepted(outcomes)).toBe(3);
    expect(sim.omni.ctx.counters.byRef.get(long.ref)).toBeUndefined();
  });

  it('a rate limit mid-batch keeps what went, and stops sending the rest, with a retry hint', async () => {
    const p = provider({ sendConcurrency: 1, rateLimitBackoffMs: 750 });
    sim.omni.setKnobs({ rateLimitPerSecond: 3 });
    const outcomes = await p.send(many(6));
    expect(accepted(outcomes)).toBe(3);
    const rejected = outcomes.filter((o) => !o.accepted);
    expect(rejected).toHaveLength(3);
    for (const o of rejected) expect(o).toMatchObject({ code: 'A020', retryable: true, retryAfterMs: 750 });
    // three accepted, one A020, and the last two were never sent
    expect(sim.omni.sendCalls()).toBe(3);
    expect(sim.omni.ctx.counters.rejectedRequests).toBe(1);
  });

  it('a vendor slower than requestTimeoutMs is a TRANSIENT failure of the call', async () => {
    // undici's headers timer ticks about once a second, hence the 1 s floor on requestTimeoutMs
    const p = provider({ requestTimeoutMs: 1000 });
    await p.send(many(1)); // token cached while the vendor is fast
    sim.omni.setKnobs({ latencyMs: 3000 });
    const error = await p.send(many(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'TRANSIENT', vendorCode: 'UND_ERR_HEADERS_TIMEOUT' });
    // the fake still takes the message after its delay: a timeout is ambiguous, which is why it is only retryable
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }, 15_000);

  it('random A999 faults: the failed messages come back retryable, the others accepted', async () => {
    const p = provider({ sendConcurrency: 4 });
    sim.omni.setKnobs({ errorRates: { A999: 0.5 } });
    const outcomes = await p.send(many(40));
    const rejected = outcomes.filter((o) => !o.accepted);
    expect(rejected.length).toBeGreaterThan(0);
    expect(accepted(outcomes)).toBeGreaterThan(0);
    for (const o of rejected) expect(o).toMatchObject({ code: 'A999', retryable: true });
  });
});

describe('reports', () => {
  it('polls 1,000 at a time, redelivers an unacknowledged batch, and maps both international reports', async () => {
    const p = provider({ sendConcurrency: 64 });
    const messages = many(600);
    const outcomes = await p.send(messages);
    expect(accepted(outcomes)).toBe(600);
    sim.omni.flushReports();

    const first = await p.pollReports!({});
    expect(first.reports).toHaveLength(1000);
    expect(first.more).toBe(true);
    // a queue: the server must not poll again before acknowledging
    expect(first.answersPendingOnly ?? false).toBe(false);
    const again = await p.pollReports!({}); // not acknowledged: the same batch comes back
    expect(again.reports.map((r) => r.vendorMessageId)).toEqual(first.reports.map((r) => r.vendorMessageId));
    await first.acknowledge();
    await first.acknowledge(); // idempotent: one DELETE
    const second = await p.pollReports!({});
    expect(second.reports).toHaveLength(200);
    expect(second.more).toBe(false);
    await second.acknowledge();
    const empty = await p.pollReports!({});
    expect(empty.reports).toEqual([]);
    await empty.acknowledge();

    const all = [...first.reports, ...second.reports];
    const byRef = new Map<string, DeliveryReport[]>();
    for (const r of all) byRef.set(r.ref ?? '', [...(byRef.get(r.ref ?? '') ?? []), r]);
    for (const m of messages) {
      const reports = byRef.get(m.ref) ?? [];
      expect(reports.map((r) => r.status).sort()).toEqual(['DELIVERED', 'SENT']);
      for (const r of reports) expect(r).toMatchObject({ pluginId: 'omni', parts: 1, vendorCode: '10000' });
    }
    expect(sim.omni.ctx.counters.reportsDelivered).toBe(1200);
  });

  it('takes webhook calls end to end: a receiver answering {msgKey} gets every report once', async () => {
    const p = provider();
    const got: DeliveryReport[] = [];
    const server: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        try {
          const reports = p.parseWebhook!({ headers: req.headers, body: JSON.parse(data) as unknown });
          got.push(...reports);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(webhookAnswer(reports[0]!)));
        } catch {
          res.statusCode = 400;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      sim.omni.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/omni/reports`);
      sim.omni.setKnobs({ outcomes: { delivered: 0.5, failed: 0.3 } });
      const messages = [...many(20), ...many(10, sms)];
      expect(accepted(await p.send(messages))).toBe(30);
      await sim.omni.settleReports();
      expect(got).toHaveLength(50); // 20 × (relay + DLR) + 10 domestic
      const finals = got.filter((r) => r.status !== 'SENT');
      expect(new Set(finals.map((r) => r.ref))).toEqual(new Set(messages.map((m) => m.ref)));
      expect(new Set(finals.map((r) => r.status))).toEqual(new Set(['DELIVERED', 'FAILED', 'EXPIRED']));
      for (const r of finals) expect(r.completedAt).toBeInstanceOf(Date);
      expect(sim.omni.ctx.counters.reportsDelivered).toBe(50);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('offers only what the configured report mode asks for', () => {
    expect(provider({ reports: 'polling' }).parseWebhook).toBeUndefined();
    expect(provider({ reports: 'webhook' }).pollReports).toBeUndefined();
  });
});
