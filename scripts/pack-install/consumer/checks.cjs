// What the ESM and the CommonJS consumer scripts each check, given the packages as their module system loaded
// them. Every check asserts a value the package computes, so a broken entry point or a wrong build fails here.
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');

/** @munja/rules: CP949 bytes and the SMS/LMS choice. */
function checkRules(rules) {
  assert.equal(rules.countBytes('안녕하세요 Munja'), 16);
  assert.equal(rules.resolveDomesticType({ content: '가'.repeat(46) }, rules.PROFILES.SENS).type, 'LMS');
  assert.throws(
    () => rules.countBytes('🙏'),
    (error) => error instanceof rules.RuleError,
  );
}

/** @munja/compliance: an AD request reviewed with an approved calling number and a 080 opt-out list. */
function checkCompliance(compliance) {
  const now = new Date('2026-03-02T01:00:00Z'); // 10:00 in Seoul, outside the night window
  let number = compliance.registerCallingNumber({ number: '02-1234-5678', method: 'DOCUMENT' }, [], now);
  number = compliance.transitionCallingNumber(number, { type: 'START' }, now);
  number = compliance.transitionCallingNumber(number, { type: 'APPROVE' }, now);
  let optOut = compliance.applyOptOutService({ companyName: '문자상사' }, now);
  optOut = compliance.completeOptOutService(optOut, '080-1234-5678', now);
  const result = compliance.reviewRequest(
    {
      contentType: 'AD',
      from: '02-1234-5678',
      content: '봄 세일 20%',
      messages: [{ to: '010-1111-2222' }, { to: '010-3333-4444' }],
    },
    {
      now,
      callingNumbers: [number],
      optOutService: optOut,
      blockList: new Set(['01033334444']),
      policy: { nightWindow: 'defer', adLabel: 'insert', adSenderName: '문자상사' },
    },
  );
  assert.equal(result.ok, true);
  const [planned, blocked] = result.recipients;
  assert.equal(planned.outcome, 'PLANNED');
  assert.equal(planned.content, '(광고)문자상사\n봄 세일 20%\n무료거부 080-1234-5678');
  assert.equal(blocked.outcome, 'REJECTED');
  assert.equal(blocked.code, 'BLOCKED');
}

/** @munja/scheduling: the next occurrences of a weekly schedule across New York's spring DST change. */
function checkScheduling(scheduling) {
  const schedule = scheduling.validateSchedule({
    code: 'weekly',
    weekdays: ['MON', 'WED'],
    time: '09:00',
    timeZone: 'America/New_York',
    startDate: '2026-03-01',
    endDate: '2026-03-31',
  });
  const next = scheduling.nextOccurrences(schedule, new Date('2026-03-01T00:00:00Z'), 4);
  assert.deepEqual(
    next.map((d) => d.toISOString()),
    [
      '2026-03-02T14:00:00.000Z',
      '2026-03-04T14:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-03-11T13:00:00.000Z',
    ],
  );
}

/** @munja/provider-kit: the contract's helpers and error classes. */
function checkProviderKit(kit) {
  assert.deepEqual([...kit.CHANNELS], ['SMS', 'LMS', 'MMS', 'INTL']);
  assert.equal(kit.isFinalDeliveryStatus('DELIVERED'), true);
  const error = new kit.RateLimitedError('429', 'slow down', 1000);
  assert.ok(error instanceof kit.ProviderError);
  assert.equal(error.retryable, true);
  assert.equal(error.retryAfterMs, 1000);
}

const silentContext = {
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
};

/** Sends one message through a plugin's provider to the running simulator; the vendor must accept it. */
async function sendOne(kit, plugin, rawConfig, message) {
  assert.ok(kit.isPluginDefinition(plugin), `${plugin.id} is a plugin definition`);
  const provider = plugin.create(plugin.validateConfig(rawConfig), silentContext);
  try {
    const [outcome] = await provider.send([message]);
    assert.equal(outcome.accepted, true, JSON.stringify(outcome));
    assert.equal(outcome.ref, message.ref);
    assert.ok(outcome.vendorMessageId.length > 0);
    if (provider.health) assert.equal((await provider.health()).ok, true);
  } finally {
    await provider.close?.();
  }
}

/** @munja/provider-sens and @munja/provider-omni: a provider against the simulator, one message each. */
async function checkPlugins(kit, sens, omni, system) {
  const simulator = JSON.parse(process.env.MUNJA_SIMULATOR);
  await sendOne(
    kit,
    sens,
    {
      serviceId: simulator.sens.serviceId,
      accessKey: simulator.sens.accessKey,
      secretKey: simulator.sens.secretKey,
      baseUrl: simulator.url,
    },
    {
      ref: `pack-${system}-sens`,
      channel: 'SMS',
      contentType: 'COMM',
      from: simulator.sens.callingNumber,
      to: system === 'esm' ? '01012340001' : '01012340002',
      countryCode: '82',
      content: '[Munja] 인증번호 123456',
    },
  );
  await sendOne(
    kit,
    omni,
    { ...simulator.omni, baseUrl: simulator.url },
    {
      ref: `pack-${system}-omni`,
      channel: 'INTL',
      contentType: 'COMM',
      from: '0310000000', // a calling number the OMNI fake takes
      to: system === 'esm' ? '4155550101' : '4155550102',
      countryCode: '1',
      content: 'Your Munja code is 123456',
      parts: 1,
    },
  );
}

/** @munja/client: a send to the running service that completes, and a refused send as a typed error. */
async function checkClient(client, system) {
  const service = JSON.parse(process.env.MUNJA_SERVICE);
  const munja = new client.Munja({ baseUrl: service.url, apiKey: service.apiKey });
  const to = system === 'esm' ? '01050000001' : '01050000002';
  const answer = await munja.messages.send({ from: service.from, content: '안녕하세요', messages: [{ to }] });
  assert.equal(answer.accepted, 1, JSON.stringify(answer));
  let messages = [];
  for (let i = 0; i < 300 && !(messages.length === 1 && messages[0].status === 'COMPLETED'); i += 1) {
    if (i > 0) await sleep(100);
    messages = (await munja.messages.request(answer.requestId)).messages;
  }
  assert.deepEqual(
    messages.map((m) => [m.to, m.status, m.statusName]),
    [[to, 'COMPLETED', 'success']],
  );
  await assert.rejects(
    munja.messages.send({ from: '0299998888', content: 'hi', messages: [{ to }] }),
    (error) => error instanceof client.MunjaError && error.code === 'CALLING_NUMBER_NOT_REGISTERED',
  );
}

/**
 * Runs every check. `packages` holds each package's namespace as the calling module system loaded it;
 * a plugin package's definition is its default export.
 */
async function checkAll(packages, system) {
  checkRules(packages.rules);
  console.log(`   ${system}: @munja/rules counts bytes`);
  checkCompliance(packages.compliance);
  console.log(`   ${system}: @munja/compliance reviews an AD request`);
  checkScheduling(packages.scheduling);
  console.log(`   ${system}: @munja/scheduling computes next occurrences`);
  checkProviderKit(packages.providerKit);
  console.log(`   ${system}: @munja/provider-kit exports the contract`);
  await checkPlugins(packages.providerKit, packages.sens.default, packages.omni.default, system);
  console.log(`   ${system}: @munja/provider-sens and @munja/provider-omni send to the simulator`);
  await checkClient(packages.client, system);
  console.log(`   ${system}: @munja/client sends through the service, to completion`);
}

module.exports = { checkAll };
