import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakePostbox } from 'munja-provider-postbox/fake-postbox';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { completed, FAST_DISPATCH } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

// The plugin author's path end to end: the example plugin of examples/provider-postbox, a package of its own,
// is loaded by package name through MUNJA_PLUGINS, exactly as a third party's plugin would be, and a message
// sent through the API reaches its fake vendor and comes back delivered through its polled reports.
describe('an example plugin loaded by package name', () => {
  let fake: FakePostbox;
  let t: TestApp;
  let project: SendingProject;

  beforeAll(async () => {
    fake = await FakePostbox.start({ senders: ['0212345678'] });
    t = await startTestApp({
      env: {
        ...FAST_DISPATCH,
        MUNJA_PLUGINS: JSON.stringify([
          { package: 'munja-provider-postbox', config: { baseUrl: fake.url, apiKey: fake.configuredKey } },
        ]),
        MUNJA_ROUTES: JSON.stringify([{ countryCode: '82', plugins: ['postbox'] }]),
      },
    });
    project = await sendingProject(t, 'Postbox');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('registers the plugin under its own id, with no embedded simulator', () => {
    const registry = t.app.get(PluginRegistry);
    expect(registry.ids()).toEqual(['postbox']);
    expect(registry.definition('postbox').displayName).toBe('Postbox (example plugin)');
  });

  it('delivers a message through it: taken by the vendor once, completed from its report', async () => {
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: '010-4000-0001' }, { to: '010-4000-0002' }] }))
      .expect(202);
    const messages = await completed(t, project, accepted.body.requestId as string, 30_000);
    expect(messages.map((m) => [m.to, m.statusName, m.statusCode])).toEqual([
      ['01040000001', 'success', 'OK'],
      ['01040000002', 'success', 'OK'],
    ]);
    expect(fake.received('01040000001')).toBe(1);
    expect(fake.received('01040000002')).toBe(1);
    // every report was acknowledged once stored: the vendor has none left to hand out
    expect(fake.webhookBodies().reports).toEqual([]);
  });
});
