import { afterAll, beforeAll } from '@jest/globals';
import type { Channel, OutboundMessage } from '@munja/provider-kit';
import { describeConformance } from '@munja/provider-kit/conformance';
import { DEFAULT_OMNI_CREDENTIALS, startSimulator, type RunningSimulator } from '@munja/simulator';
import omniPlugin from '../src';

// The provider-kit conformance suite, over real HTTP on loopback, against the faked OMNI.
let sim: RunningSimulator;
let seq = 0;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
});
afterAll(async () => {
  await sim.stop();
});

function message(channel: Channel): OutboundMessage {
  seq += 1;
  const n = String(seq).padStart(7, '0');
  const base = {
    ref: `conf-${seq}-${Date.now()}`,
    channel,
    contentType: 'COMM' as const,
    from: '0310000000',
  };
  switch (channel) {
    case 'INTL':
      return { ...base, to: `415${n}`, countryCode: '1', content: 'Your Munja code is 123456', parts: 1 };
    case 'SMS':
      return { ...base, to: `010${n}1`, countryCode: '82', content: '인증번호 123456' };
    case 'LMS':
      return {
        ...base,
        to: `010${n}2`,
        countryCode: '82',
        subject: '안내',
        content: '긴 안내 문자입니다. '.repeat(20),
      };
    case 'MMS':
      return { ...base, to: `010${n}3`, countryCode: '82', subject: '사진', content: '사진을 보냅니다' };
  }
}

describeConformance({
  plugin: omniPlugin,
  validConfig: () => ({ ...DEFAULT_OMNI_CREDENTIALS, baseUrl: sim.url, reports: 'both' }),
  invalidConfigs: [
    { name: 'not an object', config: 'omni', field: '(root)' },
    { name: 'no clientId', config: { password: 'pw-secret-1' }, field: 'clientId' },
    { name: 'empty password', config: { clientId: 'id', password: '' }, field: 'password' },
    { name: 'numeric password', config: { clientId: 'id', password: 1234 }, field: 'password' },
    {
      name: 'bad baseUrl',
      config: { clientId: 'id', password: 'pw-secret-1', baseUrl: 'omni.ibapi.kr' },
      field: 'baseUrl',
    },
    {
      name: 'ftp baseUrl',
      config: { clientId: 'id', password: 'pw-secret-1', baseUrl: 'ftp://x' },
      field: 'baseUrl',
    },
    {
      name: 'zero timeout',
      config: { clientId: 'id', password: 'pw-secret-1', requestTimeoutMs: 0 },
      field: 'requestTimeoutMs',
    },
    {
      name: 'unknown report mode',
      config: { clientId: 'id', password: 'pw-secret-1', reports: 'email' },
      field: 'reports',
    },
    {
      name: 'misspelt setting',
      config: { clientId: 'id', password: 'pw-secret-1', pasword: 'x' },
      field: 'pasword',
    },
  ],
  secrets: ['pw-secret-1', DEFAULT_OMNI_CREDENTIALS.password],
  messages: (n, channel = omniPlugin.channels[0]) =>
    Array.from({ length: n }, () => message(channel ?? 'INTL')),
  // the fake refuses a domestic number that is not one (A010): a bad request, never retryable
  badMessage: () => ({ ...message('SMS'), to: '12' }),
  vendor: {
    reset: () => sim.omni.reset(),
    received: (m) => sim.omni.ctx.counters.byRef.get(m.ref) ?? 0,
    sendCalls: () => sim.omni.sendCalls(),
    breakCredentials: () =>
      sim.omni.setCredentials(
        { ...DEFAULT_OMNI_CREDENTIALS, password: 'rotated-by-test' },
        { revokeTokens: true },
      ),
    restoreCredentials: () => sim.omni.restoreCredentials(),
    setRateLimit: (perSecond) => sim.omni.setKnobs({ rateLimitPerSecond: perSecond }),
    injectTransientFaults: (rate) => sim.omni.setKnobs({ errorRates: rate > 0 ? { A999: rate } : {} }),
    setOutcomes: (mix) => sim.omni.setKnobs({ outcomes: mix }),
    settleReports: () => sim.omni.settleReports(),
    webhookRequests: () => sim.omni.webhookCalls(),
  },
});
