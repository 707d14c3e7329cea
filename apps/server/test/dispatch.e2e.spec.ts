import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SENS_DEFAULTS } from '@munja/simulator';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { completed, FAST_DISPATCH, messagesOf, query, waitFor } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { fakeJpeg } from './support/images';
import { startTestApp, type TestApp } from './test-app';
import type { TestClock } from './test-clock';

describe('dispatch through the embedded simulator', () => {
  let t: TestApp;
  let project: SendingProject;
  let embedded: EmbeddedSimulator;
  let clock: TestClock;

  beforeAll(async () => {
    // Two attempts per plugin so a failing primary hands over quickly.
    t = await startTestApp({ env: { ...FAST_DISPATCH, MUNJA_DISPATCH_MAX_ATTEMPTS: '2' } });
    clock = t.clock as TestClock;
    project = await sendingProject(t, 'Dispatch');
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    embedded.simulator.sens.setKnobs({
      errorRates: {},
      rateLimitPerSecond: 0,
      outcomes: { delivered: 1, failed: 0 },
    });
    embedded.simulator.sens.setCredentials({
      accessKey: SENS_DEFAULTS.accessKey,
      secretKey: SENS_DEFAULTS.secretKey,
    });
    embedded.simulator.omni.setKnobs({
      errorRates: {},
      rateLimitPerSecond: 0,
      outcomes: { delivered: 1, failed: 0 },
    });
    t.app.get(PluginRegistry).markHealthy('sens');
  });

  const send = async (body: Record<string, unknown>): Promise<string> => {
    const accepted = await t.http.post('/v1/messages').set(project.auth).send(sendBody(body)).expect(202);
    return accepted.body.requestId as string;
  };
  const rowsOf = (requestId: string) =>
    query<{
      to_number: string;
      plugin_id: string;
      vendor_message_id: string | null;
      attempts: number;
      route_index: number;
      state: string;
    }>(
      t,
      `SELECT to_number, plugin_id, vendor_message_id, attempts, route_index, state FROM messages
        WHERE request_id = $1 ORDER BY recipient_index`,
      [requestId],
    );

  it('sends an SMS that reaches COMPLETED success with the vendor id and complete time', async () => {
    const requestId = await send({ messages: [{ to: '010-2000-0001' }, { to: '010-2000-0002' }] });
    const messages = await completed(t, project, requestId);
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      expect(m).toMatchObject({ status: 'COMPLETED', statusName: 'success', state: 'DELIVERED' });
      expect(m.completeTime).toEqual(expect.any(String));
    }
    const rows = await rowsOf(requestId);
    expect(rows.every((r) => r.plugin_id === 'sens' && r.vendor_message_id && r.attempts === 0)).toBe(true);
    expect(embedded.simulator.sens.received('01020000001')).toBe(1);
    expect(embedded.simulator.sens.received('01020000002')).toBe(1);
  });

  it('closes a message as fail with the vendor result code when the carrier reports a failure', async () => {
    embedded.simulator.sens.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
    const requestId = await send({ messages: [{ to: '010-2000-0101' }] });
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'fail', state: 'FAILED' });
    expect(message?.statusCode).toEqual(expect.any(String));
    expect(message?.statusCode).not.toBe('0');
  });

  it('sends an MMS after uploading its image to the plugin once', async () => {
    const uploaded = await t.http
      .post('/v1/files')
      .set(project.auth)
      .attach('file', fakeJpeg(640, 480), { filename: 'photo.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const requestId = await send({
      subject: '사진',
      files: [{ fileId: uploaded.body.fileId }],
      messages: [{ to: '010-2000-0201' }, { to: '010-2000-0202' }],
    });
    const messages = await completed(t, project, requestId);
    expect(messages.map((m) => [m.type, m.statusName])).toEqual([
      ['MMS', 'success'],
      ['MMS', 'success'],
    ]);
    // one upload to SENS serves both recipients
    expect(embedded.simulator.sens.store.files.size).toBe(1);
  });

  it('fails over to the next plugin of the route when the primary refuses its credentials, and marks it unhealthy', async () => {
    embedded.simulator.sens.rotateCredentials();
    const requestId = await send({ messages: [{ to: '010-2000-0301' }] });
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ statusName: 'success' });
    const [row] = await rowsOf(requestId);
    expect(row).toMatchObject({ plugin_id: 'omni', route_index: 1 });
    expect(embedded.simulator.sens.received('01020000301')).toBe(0);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(
      t.app
        .get(PluginRegistry)
        .list()
        .find((p) => p.id === 'sens'),
    ).toMatchObject({
      healthy: false,
      problem: expect.stringContaining('credentials refused'),
    });
  });

  it('retries a failing primary with backoff, then hands the message to the next plugin', async () => {
    embedded.simulator.sens.setKnobs({ errorRates: { '503': 1 } });
    const before = embedded.simulator.sens.ctx.counters.snapshot().rejectedRequests;
    const requestId = await send({ messages: [{ to: '010-2000-0401' }] });
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ statusName: 'success' });
    const [row] = await rowsOf(requestId);
    expect(row).toMatchObject({ plugin_id: 'omni', route_index: 1, attempts: 0 });
    // MUNJA_DISPATCH_MAX_ATTEMPTS=2: two refused calls to SENS, then OMNI
    expect(embedded.simulator.sens.ctx.counters.snapshot().rejectedRequests - before).toBe(2);
  });

  it('fails a message with the vendor code when every plugin of its route refuses it for good', async () => {
    // an international number the OMNI fake refuses as a bad recipient would do; here: a permanent 400 from SENS
    embedded.simulator.sens.setKnobs({ errorRates: { '400': 1 } });
    const requestId = await send({ messages: [{ to: '010-2000-0501' }] });
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ statusName: 'fail', state: 'FAILED' });
    expect(message?.statusCode).toBe('400');
  });

  it('slows a rate-limited plugin down without counting attempts, and sends everything once the window passes', async () => {
    embedded.simulator.omni.setKnobs({ rateLimitPerSecond: 1 });
    const before = embedded.simulator.omni.ctx.counters.snapshot();
    const requestId = await send({
      countryCode: '1',
      from: '0212345678',
      messages: [{ to: '2025550101' }, { to: '2025550102' }, { to: '2025550103' }],
    });
    // One goes; the vendor refuses the others (A020) and the plugin is slowed down: while the (test) clock
    // stands still no further send reaches the vendor, however many sweeps run.
    await waitFor(
      async () =>
        (await rowsOf(requestId)).filter((r) => r.state === 'SENT' || r.state === 'DELIVERED').length === 1,
    );
    // (polling requests go on; sends and their refusals must not)
    const held = embedded.simulator.omni.ctx.counters.snapshot();
    const heldCalls = embedded.simulator.omni.sendCalls();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(embedded.simulator.omni.ctx.counters.snapshot().rejectedRequests).toBe(held.rejectedRequests);
    expect(embedded.simulator.omni.sendCalls()).toBe(heldCalls);
    for (let i = 0; i < 10; i += 1) {
      const rows = await rowsOf(requestId);
      if (rows.every((r) => r.vendor_message_id)) break;
      clock.advance(1100);
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    const rows = await rowsOf(requestId);
    expect(rows.every((r) => r.vendor_message_id && r.attempts === 0 && r.plugin_id === 'omni')).toBe(true);
    const after = embedded.simulator.omni.ctx.counters.snapshot();
    expect(after.messages - before.messages).toBe(3);
    expect(after.duplicateRefs).toBe(0);
  });

  it('stops gracefully: in-flight sends are recorded and no claimed row is left SENDING', async () => {
    embedded.simulator.sens.setKnobs({ latencyMs: 300 });
    const dispatcher = t.app.get(Dispatcher);
    const requestId = await send({
      messages: Array.from({ length: 30 }, (_, i) => ({ to: `010-3000-${String(i).padStart(4, '0')}` })),
    });
    await waitFor(async () => (await rowsOf(requestId)).some((r) => r.state === 'SENDING'), 30_000, 5);
    await dispatcher.stop();
    const rows = await rowsOf(requestId);
    expect(rows.filter((r) => r.state === 'SENDING')).toEqual([]);
    embedded.simulator.sens.setKnobs({ latencyMs: 0 });
    dispatcher.start();
    const messages = await completed(t, project, requestId);
    expect(messages.every((m) => m.statusName === 'success')).toBe(true);
    for (let i = 0; i < 30; i += 1)
      expect(embedded.simulator.sens.received(`0103000${String(i).padStart(4, '0')}`)).toBe(1);
  });

  it('closes a sent message as EXPIRED when no report comes within the timeout', async () => {
    embedded.simulator.sens.setKnobs({ reportDelayMs: 1000 * 3600 * 1000 });
    const requestId = await send({ messages: [{ to: '010-2000-0601' }] });
    await waitFor(async () => (await rowsOf(requestId))[0]?.state === 'SENT');
    clock.advance(72 * 3600 * 1000 + 60_000);
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ statusName: 'fail', state: 'EXPIRED', statusCode: 'EXPIRED' });
    embedded.simulator.sens.setKnobs({ reportDelayMs: 0 });
    expect((await messagesOf(t, project, requestId))[0]?.status).toBe('COMPLETED');
  });
});
