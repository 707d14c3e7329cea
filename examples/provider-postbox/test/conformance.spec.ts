import { afterAll, beforeAll } from '@jest/globals';
import type { OutboundMessage } from '@munja/provider-kit';
import { describeConformance } from '@munja/provider-kit/conformance';
import postbox, { type PostboxConfig } from '../src';
import { FakePostbox } from '../src/fake-postbox';

// The provider-kit conformance suite against the Postbox fake over real HTTP on loopback: what every plugin
// runs in its own test, with the harness wired to its own vendor fake.
let fake: FakePostbox;
beforeAll(async () => {
  fake = await FakePostbox.start({ senders: ['0212345678'], seed: 7 });
});
afterAll(async () => {
  await fake.stop();
});

let serial = 0;
function message(from = '0212345678'): OutboundMessage {
  serial += 1;
  return {
    ref: `postbox-${serial}`,
    channel: 'SMS',
    contentType: 'COMM',
    from,
    to: `010${String(serial).padStart(8, '0')}`,
    countryCode: '82',
    content: '[Munja] 인증번호 123456',
  };
}

const base = { baseUrl: 'http://127.0.0.1:1', apiKey: 'postbox-test-key' };

describeConformance<PostboxConfig>({
  plugin: postbox,
  validConfig: () => ({ baseUrl: fake.url, apiKey: fake.configuredKey, timeoutMs: 5000 }),
  secrets: [base.apiKey],
  invalidConfigs: [
    { name: 'not an object', config: 'postbox', field: 'config' },
    { name: 'baseUrl missing', config: { apiKey: base.apiKey }, field: 'baseUrl' },
    { name: 'baseUrl not http', config: { ...base, baseUrl: 'ftp://postbox.example' }, field: 'baseUrl' },
    { name: 'apiKey empty', config: { ...base, apiKey: ' ' }, field: 'apiKey' },
    { name: 'timeoutMs too small', config: { ...base, timeoutMs: 5 }, field: 'timeoutMs' },
  ],
  messages: (n) => Array.from({ length: n }, () => message()),
  badMessage: () => message('0299999999'), // not a sender the account registered
  vendor: {
    reset: () => fake.reset(),
    received: (m) => fake.received(m.to),
    sendCalls: () => fake.sendCalls(),
    breakCredentials: () => fake.rotateKey(),
    restoreCredentials: () => fake.restoreKey(),
    setRateLimit: (perSecond) => fake.setRateLimit(perSecond),
    injectTransientFaults: (rate) => fake.setFaultRate(rate),
    setOutcomes: (mix) => fake.setOutcomes(mix),
    // Postbox reports a message's final state as soon as it takes it: nothing to wait for
    settleReports: () => undefined,
    webhookRequests: () => [{ headers: {}, body: fake.webhookBodies() }],
  },
});
