import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_OMNI_CREDENTIALS,
  SENS_DEFAULTS,
  startSimulator,
  type RunningSimulator,
} from '@munja/simulator';
import { completed, FAST_DISPATCH, query, waitFor } from './dispatch-support';
import { CALLING_NUMBER, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

const SECRET = 'report-secret-0123456789abcdef';

/**
 * Delivery reports in: OMNI configured for webhooks (the simulator POSTs its reports to the server), SENS
 * polled. The simulator and the server share the test clock.
 */
describe('delivery reports in', () => {
  let t: TestApp;
  let sim: RunningSimulator;
  let project: SendingProject;
  const clock = new TestClock();

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => clock.now().getTime(),
      sens: { callingNumbers: [CALLING_NUMBER] },
      omni: { reportTickMs: 20, webhookBackoffMs: 20 },
    });
    t = await startTestApp({
      clock,
      env: {
        ...FAST_DISPATCH,
        MUNJA_REPORT_SECRET: SECRET,
        MUNJA_PLUGINS: JSON.stringify([
          {
            package: '@munja/provider-sens',
            config: {
              serviceId: SENS_DEFAULTS.serviceId,
              accessKey: SENS_DEFAULTS.accessKey,
              secretKey: SENS_DEFAULTS.secretKey,
              baseUrl: sim.url,
            },
          },
          {
            package: '@munja/provider-omni',
            config: { ...DEFAULT_OMNI_CREDENTIALS, baseUrl: sim.url, reports: 'webhook' },
          },
        ]),
      },
    });
    sim.omni.setWebhookUrl(`${t.url}/v1/reports/omni/${SECRET}`);
    project = await sendingProject(t, 'Reports');
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });

  const sendAbroad = async (to: string): Promise<string> => {
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ countryCode: '1', content: 'Your code is 1234', messages: [{ to }] }))
      .expect(202);
    return accepted.body.requestId as string;
  };
  const rowOf = async (requestId: string) =>
    (
      await query<{ id: string; vendor_message_id: string; state: string; status_name: string | null }>(
        t,
        `SELECT id, vendor_message_id, state, status_name FROM messages WHERE request_id = $1`,
        [requestId],
      )
    )[0]!;
  const reportsOf = (vendorMessageId: string) =>
    query<{ status: string; message_id: string | null; source: string }>(
      t,
      `SELECT status, message_id, source FROM delivery_reports WHERE vendor_message_id = $1 ORDER BY id`,
      [vendorMessageId],
    );
  const webhook = (body: unknown, path = `/v1/reports/omni/${SECRET}`) =>
    t.http.post(path).send(body as object);

  it('closes an international message as success from the vendor webhook, keeping every report', async () => {
    const requestId = await sendAbroad('2025550111');
    const [message] = await completed(t, project, requestId);
    expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'success', state: 'DELIVERED' });
    expect(message?.telcoCode).toEqual(expect.any(String));
    const row = await rowOf(requestId);
    // OMNI reports an international message twice: the relay's acceptance (SENT), then the DLR
    const reports = await waitFor(async () => {
      const list = await reportsOf(row.vendor_message_id);
      return list.length === 2 ? list : undefined;
    });
    // (the simulator POSTs concurrently: they may arrive in either order, and either order ends the same)
    expect([...reports].sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { status: 'DELIVERED', message_id: row.id, source: 'webhook' },
      { status: 'SENT', message_id: row.id, source: 'webhook' },
    ]);
  });

  it("lists a message's reports for its project (GET /v1/messages/:id/reports), 404 for another project", async () => {
    const requestId = await sendAbroad('2025550113');
    const [message] = await completed(t, project, requestId);
    const path = `/v1/messages/${message!.messageId}/reports`;
    const items = await waitFor(async () => {
      const { body } = await t.http.get(path).set(project.auth).expect(200);
      return body.items.length === 2 ? (body.items as Array<Record<string, unknown>>) : undefined;
    });
    expect(items.map((r) => r.status).sort()).toEqual(['DELIVERED', 'SENT']);
    for (const report of items) {
      expect(report).toMatchObject({ pluginId: 'omni', source: 'webhook', receivedAt: expect.any(String) });
    }
    expect(items.find((r) => r.status === 'DELIVERED')).toMatchObject({ completedAt: expect.any(String) });
    const other = await sendingProject(t, 'Someone else');
    const refused = await t.http.get(path).set(other.auth).expect(404);
    expect(refused.body).toMatchObject({ code: 'NOT_FOUND', field: 'messageId' });
  });

  it('closes a message as fail with the vendor code when the carrier reports a failure', async () => {
    sim.omni.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
    try {
      const requestId = await sendAbroad('2025550112');
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'fail', state: 'FAILED' });
      expect(message?.statusCode).toEqual(expect.any(String));
      expect(message?.statusCode).not.toBe('10000');
    } finally {
      sim.omni.setKnobs({ outcomes: { delivered: 1, failed: 0 } });
    }
  });

  it('never reports a completeTime before the sendTime, though the vendor reports whole seconds', async () => {
    // the message is due 700 ms into a second; SENS reports its completion truncated to the second
    clock.set(new Date(Math.ceil(clock.now().getTime() / 1000) * 1000 + 700));
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: '010-5555-0700' }] }))
      .expect(202);
    const [message] = await completed(t, project, accepted.body.requestId as string);
    expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'success' });
    const [report] = await query<{ completed_at: Date }>(
      t,
      `SELECT completed_at FROM delivery_reports WHERE status = 'DELIVERED' AND plugin_id = 'sens'
          AND vendor_message_id = (SELECT vendor_message_id FROM messages WHERE request_id = $1)`,
      [accepted.body.requestId],
    );
    // the vendor's own time is earlier than the send time: the clamp is what keeps the order
    expect(report!.completed_at.getTime()).toBeLessThan(Date.parse(message!.sendTime as string));
    expect(Date.parse(message!.completeTime!)).toBeGreaterThanOrEqual(
      Date.parse(message!.sendTime as string),
    );
  });

  it('never moves a final status back: duplicate, contradicting and late intermediate reports are kept but change nothing', async () => {
    const requestId = await sendAbroad('2025550113');
    await completed(t, project, requestId);
    const row = await rowOf(requestId);
    await waitFor(async () => (await reportsOf(row.vendor_message_id)).length === 2);
    const calls = sim.omni.webhookCalls().filter((c) => c.body.msgKey === row.vendor_message_id);
    const intermediate = calls.find((c) => c.body.reportType === '0');
    const final = calls.find((c) => c.body.reportType !== '0');
    expect(final).toBeDefined();
    await webhook(final!.body).expect(200); // duplicate
    await webhook({ ...final!.body, reportCode: '20001', reportText: 'failed late' }).expect(200); // contradicting
    await webhook(intermediate!.body).expect(200); // out of order
    const after = await rowOf(requestId);
    expect(after).toMatchObject({ state: 'DELIVERED', status_name: 'success' });
    expect((await reportsOf(row.vendor_message_id)).map((r) => r.status).slice(2)).toEqual([
      'DELIVERED',
      'FAILED',
      'SENT',
    ]);
  });

  it('keeps and logs a report for an unknown id, answering 200 and carrying on', async () => {
    const unknown = {
      msgKey: 'no-such-message-1',
      serviceType: 'SMS',
      msgType: 'S',
      reportType: '1',
      reportCode: '10000',
      reportText: 'success',
      reportTime: '2026-03-02T10:00:00.000',
    };
    await webhook(unknown).expect(200);
    expect(await reportsOf('no-such-message-1')).toEqual([
      { status: 'DELIVERED', message_id: null, source: 'webhook' },
    ]);
    // and the service still works
    const requestId = await sendAbroad('2025550114');
    await completed(t, project, requestId);
  });

  it('authenticates webhooks by the configured secret, in the path or a header', async () => {
    const body = { msgKey: 'no-such-message-2', reportCode: '10000', reportTime: '2026-03-02T10:00:00.000' };
    await webhook(body, '/v1/reports/omni/wrong-secret-0000000000').expect(404);
    await webhook(body, '/v1/reports/omni').expect(404);
    await t.http.post('/v1/reports/omni').set('x-munja-report-secret', SECRET).send(body).expect(200);
    // SENS takes no webhooks (it is polled), and an unknown plugin is no endpoint
    await webhook(body, `/v1/reports/sens/${SECRET}`).expect(404);
    await webhook(body, `/v1/reports/nope/${SECRET}`).expect(404);
    const bad = await webhook({ reportCode: '10000' }).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_REPORT' });
  });

  it('polls SENS for the results of its sent messages and closes them', async () => {
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: '010-4000-0001' }, { to: '010-4000-0002' }] }))
      .expect(202);
    const messages = await completed(t, project, accepted.body.requestId as string);
    expect(messages.map((m) => m.statusName)).toEqual(['success', 'success']);
    const rows = await query<{ source: string }>(
      t,
      `SELECT d.source FROM delivery_reports d JOIN messages m ON m.id = d.message_id WHERE m.request_id = $1`,
      [accepted.body.requestId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['polling']));
  });
});
