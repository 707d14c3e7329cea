import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FormData, request } from 'undici';
import { startSimulator, type RunningSimulator } from '../simulator';
import { DEFAULT_OMNI_CREDENTIALS } from './index';
import { internationalParts } from './validation';

// loopback HTTP on a shared 2-core machine: generous per-test time, never a timing assertion
jest.setTimeout(60_000);

const START = Date.parse('2026-11-22T00:00:00Z');
let clock = START;
let sim: RunningSimulator;

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  init: { token?: string; body?: string | FormData; headers?: Record<string, string> } = {},
) {
  const res = await request(`${sim.url}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(init.token !== undefined ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body,
  });
  // the tests read the vendor's JSON freely; toMatchObject/toEqual check its shape
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

async function token(): Promise<string> {
  const res = await call('POST', '/v1/auth/token', {
    headers: {
      'x-ib-client-id': DEFAULT_OMNI_CREDENTIALS.clientId,
      'x-ib-client-passwd': DEFAULT_OMNI_CREDENTIALS.password,
    },
  });
  expect(res.body.code).toBe('A000');
  return res.body.data.token as string;
}

const sms = (to: string, ref: string, text = 'hello') =>
  JSON.stringify({ from: '0310000000', to, text, ref });

// Each test owns its simulator and clock: a test that times out while its requests are still running
// cannot leave sends, reports or knobs behind for the next one.
beforeEach(async () => {
  clock = START;
  sim = await startSimulator({ now: () => clock, seed: 7 });
});
afterEach(async () => {
  await sim.stop();
});

describe('OMNI fake: token', () => {
  it('issues a Bearer token with a KST expiry 24 h ahead', async () => {
    const res = await call('POST', '/v1/auth/token', {
      headers: { 'x-ib-client-id': 'munja-omni', 'x-ib-client-passwd': 'munja-omni-secret' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 'A000', result: 'Success', data: { schema: 'Bearer' } });
    expect(Date.parse(res.body.data.expired) - clock).toBe(24 * 3600 * 1000);
    expect(res.body.data.expired).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
  });

  it('refuses wrong credentials', async () => {
    const res = await call('POST', '/v1/auth/token', {
      headers: { 'x-ib-client-id': 'munja-omni', 'x-ib-client-passwd': 'wrong' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('A001');
  });

  it('answers A001 without a token, with an unknown one, and once the token expired', async () => {
    expect((await call('POST', '/v1/send/sms', { body: sms('01012345678', 'r') })).body.code).toBe('A001');
    expect(
      (await call('POST', '/v1/send/sms', { token: 'nope', body: sms('01012345678', 'r') })).body.code,
    ).toBe('A001');
    sim.omni.setTokenLifetimeMs(1000);
    const t = await token();
    expect((await call('POST', '/v1/send/sms', { token: t, body: sms('01012345678', 'r1') })).body.code).toBe(
      'A000',
    );
    clock += 999;
    expect((await call('POST', '/v1/send/sms', { token: t, body: sms('01012345678', 'r2') })).body.code).toBe(
      'A000',
    );
    clock += 1;
    const expired = await call('POST', '/v1/send/sms', { token: t, body: sms('01012345678', 'r3') });
    expect(expired).toEqual({ status: 401, body: { code: 'A001', result: 'Expired token' } });
    sim.omni.setTokenLifetimeMs(24 * 3600 * 1000);
  });
});

describe('OMNI fake: sending', () => {
  it('accepts SMS, LMS and international sends, echoing ref and counting each message', async () => {
    const t = await token();
    const a = await call('POST', '/v1/send/sms', { token: t, body: sms('01011112222', 'ref-1') });
    expect(a.body).toMatchObject({ code: 'A000', result: 'Success', ref: 'ref-1' });
    expect(typeof a.body.msgKey).toBe('string');
    const b = await call('POST', '/v1/send/mms', {
      token: t,
      body: JSON.stringify({ from: '0310000000', to: '01011113333', text: '가'.repeat(1000), title: '제목' }),
    });
    expect(b.body.code).toBe('A000');
    const c = await call('POST', '/v1/send/international', {
      token: t,
      body: JSON.stringify({ from: '01012345678', to: '+14155550100', text: 'x'.repeat(765), ref: 'ref-3' }),
    });
    expect(c.body.code).toBe('A000');
    const snap = sim.omni.ctx.counters.snapshot();
    expect(snap).toMatchObject({ messages: 3, distinctRecipients: 3, duplicateRefs: 0 });
    expect(sim.omni.ctx.counters.byRef.get('ref-3')).toBe(1);
    expect(sim.omni.sendCalls()).toBe(3);
    expect(sim.omni.sent().map((m) => [m.endpoint, m.to, m.text.length, m.ref])).toEqual([
      ['SMS', '01011112222', expect.any(Number), 'ref-1'],
      ['MMS', '01011113333', 1000, undefined],
      ['INTL', '+14155550100', 765, 'ref-3'],
    ]);
  });

  it('keeps the text of the last accepted sends exactly as received, and forgets them on reset', async () => {
    const t = await token();
    const text = '【BB商店】您的验证码是 1234';
    await call('POST', '/v1/send/international', {
      token: t,
      body: JSON.stringify({ from: '01012345678', to: '+8613800138000', text, ref: 'cn-1' }),
    });
    expect(sim.omni.sent().at(-1)).toEqual({
      endpoint: 'INTL',
      from: '01012345678',
      to: '+8613800138000',
      text,
      ref: 'cn-1',
    });
    sim.omni.reset();
    expect(sim.omni.sent()).toEqual([]);
  });

  it.each([
    ['bad JSON', '/v1/send/sms', '{"from":', 'Cannot parse JSON'],
    ['missing text', '/v1/send/sms', JSON.stringify({ from: '0310000000', to: '01012345678' }), undefined],
    ['SMS of 91 bytes', '/v1/send/sms', sms('01012345678', 'r', 'a'.repeat(91)), undefined],
    ['SMS with an emoji', '/v1/send/sms', sms('01012345678', 'r', 'hi 😀'), undefined],
    [
      'LMS of 2001 bytes',
      '/v1/send/mms',
      JSON.stringify({ from: '0310000000', to: '01012345678', text: 'a'.repeat(2001) }),
      undefined,
    ],
    [
      'title of 41 bytes',
      '/v1/send/mms',
      JSON.stringify({ from: '0310000000', to: '01012345678', text: 'a', title: 'a'.repeat(41) }),
      undefined,
    ],
    [
      'unknown file key',
      '/v1/send/mms',
      JSON.stringify({ from: '0310000000', to: '01012345678', text: 'a', fileKey: ['nope'] }),
      undefined,
    ],
    [
      'international number without +',
      '/v1/send/international',
      JSON.stringify({ from: '0310000000', to: '14155550100', text: 'a' }),
      undefined,
    ],
    [
      '766 GSM characters (6 parts)',
      '/v1/send/international',
      JSON.stringify({ from: '0310000000', to: '+14155550100', text: 'a'.repeat(766) }),
      undefined,
    ],
    [
      '336 UCS-2 characters (6 parts)',
      '/v1/send/international',
      JSON.stringify({ from: '0310000000', to: '+8613800000000', text: '中'.repeat(336) }),
      undefined,
    ],
    ['ref of 201 characters', '/v1/send/sms', sms('01012345678', 'r'.repeat(201)), undefined],
  ])('answers A010 on %s', async (_name, path, body, result) => {
    const t = await token();
    const res = await call('POST', path, { token: t, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('A010');
    if (result !== undefined) expect(res.body.result).toBe(result);
    expect(sim.omni.ctx.counters.messages).toBe(0);
  });

  it('accepts the limits themselves: 90-byte SMS, 45 Hangul, 335 UCS-2 in 5 parts', async () => {
    const t = await token();
    for (const [path, body] of [
      ['/v1/send/sms', sms('01012345678', 'a', 'a'.repeat(90))],
      ['/v1/send/sms', sms('01012345679', 'b', '가'.repeat(45))],
      [
        '/v1/send/international',
        JSON.stringify({ from: '0310000000', to: '+8613800000000', text: '中'.repeat(335) }),
      ],
    ] as const)
      expect((await call('POST', path, { token: t, body })).body.code).toBe('A000');
    expect(internationalParts('中'.repeat(335))).toBe(5);
    expect(internationalParts('a'.repeat(160))).toBe(1);
    expect(internationalParts('a'.repeat(161))).toBe(2);
    expect(internationalParts('€'.repeat(80))).toBe(1);
  });

  it('answers A020 past the rate limit and A999 on injected faults', async () => {
    const t = await token();
    sim.omni.setKnobs({ rateLimitPerSecond: 2 });
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1)
      codes.push(
        (await call('POST', '/v1/send/sms', { token: t, body: sms(`0101000000${i}`, `r${i}`) })).body.code,
      );
    expect(codes).toEqual(['A000', 'A000', 'A020', 'A020']);
    clock += 1000;
    expect((await call('POST', '/v1/send/sms', { token: t, body: sms('01010000009', 'r9') })).body.code).toBe(
      'A000',
    );
    sim.omni.setKnobs({ rateLimitPerSecond: 0, errorRates: { A999: 1 } });
    const fault = await call('POST', '/v1/send/sms', { token: t, body: sms('01010000008', 'r8') });
    expect(fault).toEqual({ status: 500, body: { code: 'A999', result: 'Unknown error' } });
  });
});

describe('OMNI fake: MMS files', () => {
  it('takes a JPEG by multipart and its key in an MMS; refuses a non-JPEG', async () => {
    const t = await token();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    const form = new FormData();
    form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'a.jpg');
    const up = await call('POST', '/v1/file/MMS', { token: t, body: form });
    expect(up.body).toMatchObject({
      code: 'A000',
      data: { fileKey: expect.any(String), expired: expect.any(String) },
    });
    const mms = await call('POST', '/v1/send/mms', {
      token: t,
      body: JSON.stringify({
        from: '0310000000',
        to: '01012345678',
        text: 'pic',
        fileKey: [up.body.data.fileKey],
      }),
    });
    expect(mms.body.code).toBe('A000');
    const bad = new FormData();
    bad.append('file', new Blob([Buffer.from('GIF89a')], { type: 'image/gif' }), 'a.gif');
    expect((await call('POST', '/v1/file/MMS', { token: t, body: bad })).body.code).toBe('A010');
  });
});

describe('OMNI fake: reports', () => {
  it('polls in batches of at most 1,000 and gives the next batch only after the DELETE', async () => {
    const t = await token();
    // 1,001 sends, ten at a time: each stays an ordinary loopback request, without 1,001 round trips in a row
    const next = { i: 0 };
    const sender = async () => {
      for (let i = next.i++; i < 1001; i = next.i++) {
        const sent = await call('POST', '/v1/send/sms', {
          token: t,
          body: sms(`010${String(i).padStart(8, '0')}`, `p${i}`),
        });
        expect(sent.body.code).toBe('A000');
      }
    };
    await Promise.all(Array.from({ length: 10 }, sender));
    sim.omni.flushReports();
    const first = await call('GET', '/v1/report/polling', { token: t });
    expect(first.body.data.report).toHaveLength(1000);
    const again = await call('GET', '/v1/report/polling', { token: t });
    expect(again.body.data.reportId).toBe(first.body.data.reportId);
    expect(
      (await call('DELETE', `/v1/report/polling/${first.body.data.reportId}`, { token: t })).body,
    ).toEqual({
      code: 'A000',
      result: 'Success',
    });
    const second = await call('GET', '/v1/report/polling', { token: t });
    expect(second.body.data.report).toHaveLength(1);
    expect(second.body.data.report[0]).toMatchObject({
      serviceType: 'SMS',
      msgType: 'SM',
      reportCode: '10000',
    });
    await call('DELETE', `/v1/report/polling/${second.body.data.reportId}`, { token: t });
    const empty = await call('GET', '/v1/report/polling', { token: t });
    expect(empty.body.data).toEqual({ reportId: '', report: null });
    // the two batches together: every message's report exactly once
    const refs = [...first.body.data.report, ...second.body.data.report].map((r: { ref: string }) => r.ref);
    expect(new Set(refs)).toEqual(new Set(Array.from({ length: 1001 }, (_, i) => `p${i}`)));
    expect(refs).toHaveLength(1001);
    expect(sim.omni.ctx.counters.reportsDelivered).toBe(1001);
  });

  it('makes two reports per international message: relay acceptance, then the DLR with resCnt', async () => {
    const t = await token();
    sim.omni.setKnobs({ reportDelayMs: 10_000, outcomes: { delivered: 0, failed: 1 } });
    await call('POST', '/v1/send/international', {
      token: t,
      body: JSON.stringify({ from: '0310000000', to: '+14155550100', text: 'b'.repeat(200), ref: 'i1' }),
    });
    expect((await call('GET', '/v1/report/polling', { token: t })).body.data.report).toBeNull();
    clock += 5_000;
    const relay = await call('GET', '/v1/report/polling', { token: t });
    expect(relay.body.data.report).toEqual([
      expect.objectContaining({
        ref: 'i1',
        serviceType: 'INTERNATIONAL',
        msgType: 'IM',
        reportType: '0',
        reportCode: '10000',
        resCnt: 2,
      }),
    ]);
    await call('DELETE', `/v1/report/polling/${relay.body.data.reportId}`, { token: t });
    clock += 5_000;
    const dlr = await call('GET', '/v1/report/polling', { token: t });
    expect(dlr.body.data.report).toEqual([
      expect.objectContaining({ ref: 'i1', reportType: '1', reportCode: '20001' }),
    ]);
  });

  it('POSTs each report to the webhook and retries a failing receiver', async () => {
    const received: unknown[] = [];
    let failuresLeft = 2;
    const server: Server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.statusCode = 503;
          return res.end();
        }
        const body = JSON.parse(data) as { msgKey: string };
        received.push(body);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ msgKey: body.msgKey }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      sim.omni.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/omni`);
      const t = await token();
      await call('POST', '/v1/send/sms', { token: t, body: sms('01012340000', 'w1') });
      await sim.omni.settleReports();
      expect(received).toEqual([
        expect.objectContaining({ ref: 'w1', reportCode: '10000', reportType: '0' }),
      ]);
      expect((received[0] as { reportTime: string }).reportTime).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
      );
      expect(sim.omni.webhookCalls()).toHaveLength(1);
      expect(sim.omni.ctx.counters.reportsDelivered).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('OMNI fake: control endpoints for another process', () => {
  it('sets knobs, shows state and resets over HTTP under /_sim/omni', async () => {
    const set = await request(`${sim.url}/_sim/omni/knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRates: { A999: 1 } }),
    });
    expect(((await set.body.json()) as { errorRates: unknown }).errorRates).toEqual({ A999: 1 });
    const t = await token();
    expect((await call('POST', '/v1/send/sms', { token: t, body: sms('01012345678', 'c1') })).body.code).toBe(
      'A999',
    );
    const state = await request(`${sim.url}/_sim/omni/state`);
    expect(await state.body.json()).toMatchObject({ sendCalls: 0, counters: { rejectedRequests: 1 } });
    await (await request(`${sim.url}/_sim/omni/reset`, { method: 'POST' })).body.dump();
    expect(sim.omni.ctx.knobs.errorRates).toEqual({});
    expect((await call('POST', '/v1/send/sms', { token: t, body: sms('01012345678', 'c2') })).body.code).toBe(
      'A000',
    );
  });
});

describe('OMNI fake: a webhook receiver that never answers 2xx', () => {
  it('gives up after the configured attempts and keeps the report for polling', async () => {
    let calls = 0;
    const server: Server = createServer((req, res) => {
      calls += 1;
      req.resume();
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const own = await startSimulator({
      omni: {
        webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        webhookAttempts: 3,
        webhookBackoffMs: 5,
      },
    });
    try {
      const issued = await request(`${own.url}/v1/auth/token`, {
        method: 'POST',
        headers: { 'x-ib-client-id': 'munja-omni', 'x-ib-client-passwd': 'munja-omni-secret' },
      });
      const t = ((await issued.body.json()) as { data: { token: string } }).data.token;
      const sent = await request(`${own.url}/v1/send/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: sms('01099998888', 'lost-1'),
      });
      await sent.body.dump();
      await own.omni.settleReports();
      expect(calls).toBe(3);
      expect(own.omni.backlog()).toEqual({ pending: 0, polling: 1, webhook: 0 });
      expect(own.omni.ctx.counters.reportsDelivered).toBe(0);
    } finally {
      await own.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
