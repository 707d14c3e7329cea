import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { OutboundMessage, PluginContext, Provider } from '@munja/provider-kit';
import { SENS_DEFAULTS, startSimulator, type RunningSimulator } from '@munja/simulator';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import sensPlugin, { UNRESOLVED_PREFIX } from './index';

// SensProvider against the faked SENS over loopback: what the conformance suite does not look at.
const context: PluginContext = {
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  now: () => new Date(),
};
let sim: RunningSimulator;
const open: Provider[] = [];
const FROM: string = SENS_DEFAULTS.callingNumbers[0];

function provider(overrides: Record<string, unknown> = {}): Provider {
  const p = sensPlugin.create(
    sensPlugin.validateConfig({
      serviceId: SENS_DEFAULTS.serviceId,
      accessKey: SENS_DEFAULTS.accessKey,
      secretKey: SENS_DEFAULTS.secretKey,
      baseUrl: sim.url,
      ...overrides,
    }),
    context,
  );
  open.push(p);
  return p;
}

let serial = 0;
function msg(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  serial += 1;
  return {
    ref: `p-${serial}`,
    channel: 'SMS',
    contentType: 'COMM',
    from: FROM,
    to: `010${String(serial).padStart(8, '0')}`,
    countryCode: '82',
    content: '안녕하세요',
    ...overrides,
  };
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close?.()));
  sim.sens.reset();
});
afterAll(async () => {
  await sim.stop();
});

describe('SensProvider.send', () => {
  it('250 recipients with three different texts: 3 calls, each recipient gets its own text', async () => {
    const messages = Array.from({ length: 250 }, (_, i) => msg({ content: `텍스트 ${i % 3}` }));
    const outcomes = await provider().send(messages);
    expect(sim.sens.sendCalls()).toBe(3);
    const byRef = new Map(messages.map((m) => [m.ref, m]));
    for (const o of outcomes) {
      expect(o.accepted).toBe(true);
      if (!o.accepted) continue;
      const stored = sim.sens.message(o.vendorMessageId);
      expect(stored?.to).toBe(byRef.get(o.ref)?.to);
      expect(stored?.content).toBe(byRef.get(o.ref)?.content);
      expect(o.vendorRequestId).toBe(stored?.requestId);
    }
  });

  it('the same recipient twice in a batch: two vendor messages, each ref its own id', async () => {
    const a = msg({ to: '01099990000' });
    const b = msg({ to: '01099990000', content: '두 번째' });
    const outcomes = await provider().send([a, b]);
    expect(sim.sens.sendCalls()).toBe(2);
    const ids = outcomes.map((o) => (o.accepted ? o.vendorMessageId : ''));
    expect(new Set(ids).size).toBe(2);
    const second = outcomes.find((o) => o.ref === b.ref);
    expect(second?.accepted && sim.sens.message(second.vendorMessageId)?.content).toBe('두 번째');
  });

  it.each([
    ['an INTL message', { channel: 'INTL' as const }],
    ['a recipient with hyphens', { to: '010-1234-5678' }],
    ['an MMS without a file', { channel: 'MMS' as const, subject: 's' }],
    ['an SMS with a file', { fileIds: ['x'] }],
    ['four files', { channel: 'MMS' as const, subject: 's', fileIds: ['a', 'b', 'c', 'd'] }],
  ])('refuses %s locally (not retryable) and still sends the rest', async (_name, overrides) => {
    const good = msg();
    const bad = msg(overrides);
    const outcomes = await provider().send([bad, good]);
    expect(outcomes.find((o) => o.ref === bad.ref)).toMatchObject({
      accepted: false,
      retryable: false,
      code: 'INVALID_MESSAGE',
    });
    expect(outcomes.find((o) => o.ref === good.ref)).toMatchObject({ accepted: true });
    expect(sim.sens.received(bad.to)).toBe(0);
  });

  it('a timeout is TRANSIENT', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const p = provider({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      await expect(p.send([msg()])).rejects.toMatchObject({ kind: 'TRANSIENT' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('SensProvider.send when SENS took the call but will not list it', () => {
  it('counts the messages as accepted under a placeholder id (resending would deliver twice)', async () => {
    // a stand-in SENS: 202 for the send, 500 for every list lookup
    const stub = createHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        res.statusCode = 202;
        res.end(
          JSON.stringify({
            requestId: 'VORSSA-1-2-3-x',
            requestTime: '2026-11-22T12:00:00.000',
            statusCode: '202',
            statusName: 'success',
          }),
        );
      } else {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { errorCode: '900', message: 'Unexpected Error', details: '' } }));
      }
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    const { port } = stub.address() as { port: number };
    try {
      const m = msg();
      const outcomes = await provider({ baseUrl: `http://127.0.0.1:${port}` }).send([m]);
      expect(outcomes).toEqual([
        {
          ref: m.ref,
          accepted: true,
          vendorMessageId: `${UNRESOLVED_PREFIX}VORSSA-1-2-3-x/${m.to}`,
          vendorRequestId: 'VORSSA-1-2-3-x',
        },
      ]);
    } finally {
      await Promise.all(open.splice(0).map((p) => p.close?.()));
      await new Promise((resolve) => stub.close(resolve));
    }
  }, 20_000);
});

describe('SensProvider.pollReports', () => {
  it('resolves a message whose id was not known at send time from its requestId and recipient', async () => {
    const m = msg();
    const [outcome] = await provider().send([m]);
    if (!outcome?.accepted) throw new Error('not accepted');
    const result = await provider().pollReports!({
      pending: [
        {
          ref: m.ref,
          vendorMessageId: `${UNRESOLVED_PREFIX}${outcome.vendorRequestId}/${m.to}`,
          vendorRequestId: outcome.vendorRequestId,
          sentAt: new Date(),
        },
      ],
    });
    expect(result.reports).toHaveLength(1);
    expect(result.reports[0]).toMatchObject({
      ref: m.ref,
      vendorMessageId: outcome.vendorMessageId,
      status: 'DELIVERED',
    });
    // per-message lookups hold nothing back: the server may ask about the next messages while storing these
    expect(result.answersPendingOnly).toBe(true);
  });

  it('stays silent while SENS has the message READY, then reports it once the fake settles', async () => {
    sim.sens.setKnobs({ reportDelayMs: 3_600_000 });
    const m = msg();
    const [outcome] = await provider().send([m]);
    if (!outcome?.accepted) throw new Error('not accepted');
    const pending = [{ ref: m.ref, vendorMessageId: outcome.vendorMessageId, sentAt: new Date() }];
    expect((await provider().pollReports!({ pending })).reports).toEqual([]);
    sim.sens.settleReports();
    expect((await provider().pollReports!({ pending })).reports[0]).toMatchObject({ status: 'DELIVERED' });
  });

  it('respects the limit and says there is more', async () => {
    const messages = [msg(), msg(), msg()];
    const outcomes = await provider().send(messages);
    const pending = outcomes.map((o) => ({
      ref: o.ref,
      vendorMessageId: o.accepted ? o.vendorMessageId : '',
      sentAt: new Date(),
    }));
    const result = await provider().pollReports!({ pending, limit: 2 });
    expect(result.reports).toHaveLength(2);
    expect(result.more).toBe(true);
  });

  it('throws AUTHENTICATION when the credentials are refused', async () => {
    const [outcome] = await provider().send([msg()]);
    sim.sens.rotateCredentials();
    await expect(
      provider().pollReports!({
        pending: [
          {
            ref: outcome!.ref,
            vendorMessageId: outcome!.accepted ? outcome!.vendorMessageId : '',
            sentAt: new Date(),
          },
        ],
      }),
    ).rejects.toMatchObject({ kind: 'AUTHENTICATION' });
  });
});

describe('SensProvider.uploadFile', () => {
  it('a non-JPEG is refused as PERMANENT', async () => {
    await expect(
      provider().uploadFile!({
        name: 'a.png',
        contentType: 'image/png',
        data: Buffer.from('89504e47', 'hex'),
      }),
    ).rejects.toMatchObject({ kind: 'PERMANENT', vendorCode: '400' });
  });
});
