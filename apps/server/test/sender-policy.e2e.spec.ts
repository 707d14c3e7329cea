import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { FAST_DISPATCH, waitFor } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

// The sender's registered signature first (seed 004): on the OMNI route it goes as written, never behind
// SENS's 【Verify】.
const SIGNED = '【BB商店】您的验证码是 1234';

describe("China (+86) through OMNI: reviewed by OMNI's sender policy, and the dry run's text is what is sent", () => {
  let t: TestApp;
  let project: SendingProject;
  let embedded: EmbeddedSimulator;

  beforeAll(async () => {
    t = await startTestApp({ env: FAST_DISPATCH });
    project = await sendingProject(t, 'China');
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (body: Record<string, unknown>, query = '') =>
    t.http
      .post(`/v1/messages${query}`)
      .set(project.auth)
      .send(sendBody({ countryCode: '86', ...body }));

  it('a dry run shows the exact text: the signed text as written, routed to omni, nothing inserted', async () => {
    const plan = await send({ content: SIGNED, messages: [{ to: '138 0013 8000' }] }, '?dryRun=true').expect(
      200,
    );
    expect(plan.body.recipients).toEqual([
      expect.objectContaining({
        outcome: 'PLANNED',
        type: 'INTL',
        e164: '+8613800138000',
        content: SIGNED,
        segments: [SIGNED],
        signatureInserted: false,
        route: ['omni'],
      }),
    ]);
  });

  it('a real send: the vendor receives exactly the text the dry run showed', async () => {
    const to = '13800138001';
    const plan = await send({ content: SIGNED, messages: [{ to }] }, '?dryRun=true').expect(200);
    const planned = plan.body.recipients[0].content as string;
    await send({ content: SIGNED, messages: [{ to }] }).expect(202);
    const received = await waitFor(async () => {
      const sent = embedded.simulator.omni.sent().filter((m) => m.to === `+86${to}`);
      return sent.length > 0 ? sent : undefined;
    });
    expect(received.map((m) => [m.endpoint, m.text])).toEqual([['INTL', planned]]);
    expect(planned).toBe(SIGNED);
  });

  it("refuses a text that does not open with the sender's signature (422 naming the field), storing nothing", async () => {
    const before = (await t.http.get('/v1/messages?limit=1000').set(project.auth).expect(200)).body.items
      .length;
    for (const query of ['?dryRun=true', '']) {
      const refused = await send(
        { content: '您的验证码是 1234', messages: [{ to: '13800138002' }] },
        query,
      ).expect(422);
      expect(refused.body).toMatchObject({ code: 'SIGNATURE_REQUIRED', field: 'content' });
      expect(refused.body.message).toContain('【INFO中国】');
    }
    const override = await send(
      { content: SIGNED, messages: [{ to: '13800138003' }, { to: '13800138004', content: 'no signature' }] },
      '?dryRun=true',
    ).expect(200);
    expect(override.body.recipients[1]).toMatchObject({
      outcome: 'REJECTED',
      code: 'SIGNATURE_REQUIRED',
      field: 'messages[1].content',
    });
    const after = (await t.http.get('/v1/messages?limit=1000').set(project.auth).expect(200)).body.items
      .length;
    expect(after).toBe(before);
  });
});
