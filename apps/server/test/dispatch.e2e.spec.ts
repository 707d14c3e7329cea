import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { completed, FAST_DISPATCH, query } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

describe('dispatch through the embedded simulator', () => {
  let t: TestApp;
  let project: SendingProject;
  let simulator: EmbeddedSimulator;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...FAST_DISPATCH } });
    project = await sendingProject(t, 'Dispatch');
    simulator = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends an SMS that reaches COMPLETED success with the vendor id, telco and complete time', async () => {
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: '010-2000-0001' }, { to: '010-2000-0002' }] }))
      .expect(202);
    const messages = await completed(t, project, accepted.body.requestId as string);
    expect(messages).toHaveLength(2);
    for (const m of messages)
      expect(m).toMatchObject({ status: 'COMPLETED', statusName: 'success', state: 'DELIVERED' });
    const rows = await query<{ plugin_id: string; vendor_message_id: string; sent_at: Date }>(
      t,
      `SELECT plugin_id, vendor_message_id, sent_at FROM messages WHERE request_id = $1`,
      [accepted.body.requestId],
    );
    expect(rows.every((r) => r.plugin_id === 'sens' && r.vendor_message_id && r.sent_at)).toBe(true);
    expect(simulator.simulator.sens.received('01020000001')).toBe(1);
    expect(simulator.simulator.sens.received('01020000002')).toBe(1);
  });
});
