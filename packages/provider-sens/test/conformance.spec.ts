import { afterAll, beforeAll } from '@jest/globals';
import { describeConformance } from '@munja/provider-kit/conformance';
import type { OutboundMessage } from '@munja/provider-kit';
import { SENS_DEFAULTS, startSimulator, type RunningSimulator } from '@munja/simulator';
import sensPlugin, { type SensConfig } from '../src';

// The provider-kit conformance suite over real HTTP on loopback, against the faked SENS of @munja/simulator.
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
});
afterAll(async () => {
  await sim.stop();
});

let serial = 0;
const CALLING_NUMBER: string = SENS_DEFAULTS.callingNumbers[0];

function message(channel: OutboundMessage['channel'], from = CALLING_NUMBER): OutboundMessage {
  serial += 1;
  return {
    ref: `conf-${serial}`,
    channel,
    contentType: 'COMM',
    from,
    to: `010${String(serial).padStart(8, '0')}`,
    countryCode: '82',
    ...(channel === 'SMS' ? {} : { subject: '안내' }),
    content: channel === 'SMS' ? '[Munja] 인증번호 123456' : '[Munja] 긴 안내 문자입니다. '.repeat(5),
  };
}

const secrets = [SENS_DEFAULTS.secretKey, SENS_DEFAULTS.accessKey];
const valid = (): Record<string, unknown> => ({
  serviceId: sim.sens.serviceId,
  accessKey: SENS_DEFAULTS.accessKey,
  secretKey: SENS_DEFAULTS.secretKey,
  baseUrl: sim.url,
  timeoutMs: 5000,
});
const base = {
  serviceId: SENS_DEFAULTS.serviceId,
  accessKey: SENS_DEFAULTS.accessKey,
  secretKey: SENS_DEFAULTS.secretKey,
};

describeConformance<SensConfig>({
  plugin: sensPlugin,
  validConfig: valid,
  secrets,
  invalidConfigs: [
    { name: 'not an object', config: 'sens', field: 'config' },
    { name: 'serviceId missing', config: { ...base, serviceId: undefined }, field: 'serviceId' },
    { name: 'serviceId with a slash', config: { ...base, serviceId: 'ncp:sms/kr' }, field: 'serviceId' },
    { name: 'accessKey missing', config: { ...base, accessKey: '' }, field: 'accessKey' },
    { name: 'secretKey not a string', config: { ...base, secretKey: 42 }, field: 'secretKey' },
    {
      name: 'secretKey with spaces',
      config: { ...base, secretKey: `${SENS_DEFAULTS.secretKey} x` },
      field: 'secretKey',
    },
    { name: 'baseUrl not a URL', config: { ...base, baseUrl: 'sens.apigw.ntruss.com' }, field: 'baseUrl' },
    {
      name: 'baseUrl with a query',
      config: { ...base, baseUrl: 'https://sens.apigw.ntruss.com/?x=1' },
      field: 'baseUrl',
    },
    { name: 'timeoutMs too small', config: { ...base, timeoutMs: 5 }, field: 'timeoutMs' },
    { name: 'concurrency not an integer', config: { ...base, concurrency: 1.5 }, field: 'concurrency' },
  ],
  messages: (n, channel = 'SMS') => Array.from({ length: n }, () => message(channel)),
  badMessage: () => message('SMS', '0299999999'), // not a registered calling number
  vendor: {
    reset: () => sim.sens.reset(),
    received: (m) => sim.sens.received(m.to),
    sendCalls: () => sim.sens.sendCalls(),
    breakCredentials: () => {
      sim.sens.rotateCredentials();
    },
    restoreCredentials: () =>
      sim.sens.setCredentials({ accessKey: SENS_DEFAULTS.accessKey, secretKey: SENS_DEFAULTS.secretKey }),
    setRateLimit: (perSecond) => sim.sens.setKnobs({ rateLimitPerSecond: perSecond }),
    injectTransientFaults: (rate) => sim.sens.setKnobs({ errorRates: rate > 0 ? { '503': rate } : {} }),
    setOutcomes: (mix) => sim.sens.setKnobs({ outcomes: mix, reportDelayMs: 60_000 }),
    settleReports: () => {
      sim.sens.settleReports();
    },
  },
});
