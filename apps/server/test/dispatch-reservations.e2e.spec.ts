import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { completed, FAST_DISPATCH, messagesOf, query, waitFor } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

const MINUTE = 60_000;

/**
 * Reservation release at the edges of the grace window (10 minutes by default) and the checks repeated at
 * send time. Each test starts from its own clock time (the clock only moves forward).
 */
describe('reservation release', () => {
  let t: TestApp;
  let p: SendingProject;
  let ad: SendingProject;
  let embedded: EmbeddedSimulator;
  const clock = new TestClock('2026-03-02T10:00:00+09:00');

  beforeAll(async () => {
    t = await startTestApp({ env: FAST_DISPATCH, clock });
    p = await sendingProject(t, 'Release');
    ad = await sendingProject(t, 'Release AD', { optOut: true });
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });
  afterAll(async () => {
    await t?.close();
  });

  const reserve = async (project: SendingProject, sendAt: Date, to: string[], extra: object = {}) =>
    (
      await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(
          sendBody({
            // the API takes a wall time to the minute: Seoul is UTC+9 all year
            reserveTime: new Date(sendAt.getTime() + 9 * 3600_000)
              .toISOString()
              .slice(0, 16)
              .replace('T', ' '),
            reserveTimeZone: 'Asia/Seoul',
            messages: to.map((n) => ({ to: n })),
            ...extra,
          }),
        )
        .expect(202)
    ).body as { requestId: string; reservationId: string; sendTime: string };
  const statusOf = async (project: SendingProject, id: string) =>
    ((await t.http.get(`/v1/reservations/${id}`).set(project.auth).expect(200)).body as { status: string })
      .status;
  /** a whole minute `minutes` after the clock's next whole minute */
  const inMinutes = (minutes: number) =>
    new Date(Math.ceil(clock.now().getTime() / MINUTE) * MINUTE + minutes * MINUTE);

  it('still starts a reservation exactly at the end of the grace window (send time + 10:00.000)', async () => {
    const sendAt = inMinutes(5);
    const held = await reserve(p, sendAt, ['01060000001']);
    clock.set(new Date(sendAt.getTime() + 10 * MINUTE));
    const [message] = await completed(t, p, held.requestId);
    expect(message).toMatchObject({ statusName: 'success' });
    await waitFor(async () => (await statusOf(p, held.reservationId)) === 'DONE');
    expect(embedded.simulator.sens.received('01060000001')).toBe(1);
  });

  it('marks a reservation STALE one millisecond past the grace window and never sends it late', async () => {
    const sendAt = inMinutes(5);
    const held = await reserve(p, sendAt, ['01060000002', '01060000003']);
    clock.set(new Date(sendAt.getTime() + 10 * MINUTE + 1));
    await waitFor(async () => (await statusOf(p, held.reservationId)) === 'STALE');
    const messages = await completed(t, p, held.requestId);
    for (const m of messages)
      expect(m).toMatchObject({
        status: 'COMPLETED',
        statusName: 'fail',
        statusCode: 'STALE',
        state: 'CANCELED',
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(embedded.simulator.sens.received('01060000002')).toBe(0);
    expect(embedded.simulator.sens.received('01060000003')).toBe(0);
  });

  it('re-checks at send time: an AD recipient who joined the 080 list meanwhile is blocked, the others go', async () => {
    const sendAt = inMinutes(30);
    const held = await reserve(ad, sendAt, ['01060000011', '01060000012'], {
      contentType: 'AD',
      content: '봄 세일',
    });
    await t.http.post('/v1/opt-out/blocklist').set(ad.auth).send({ number: '01060000012' }).expect(201);
    clock.set(sendAt);
    const messages = await completed(t, ad, held.requestId);
    expect(messages.map((m) => [m.to, m.statusName, m.state, m.statusCode])).toEqual([
      ['01060000011', 'success', 'DELIVERED', expect.any(String)],
      ['01060000012', 'fail', 'BLOCKED', 'BLOCKED'],
    ]);
    expect(embedded.simulator.sens.received('01060000012')).toBe(0);
    await waitFor(async () => (await statusOf(ad, held.reservationId)) === 'DONE');
  });

  it('fails a reservation whose calling number is no longer approved at send time, sending nothing', async () => {
    const other = await sendingProject(t, 'Revoked');
    const sendAt = inMinutes(30);
    const held = await reserve(other, sendAt, ['01060000021']);
    // no API revokes an approval; the operator's records change under the reservation
    await query(t, `UPDATE calling_numbers SET status = 'REJECTED' WHERE project_id = $1`, [other.projectId]);
    clock.set(sendAt);
    await waitFor(async () => (await statusOf(other, held.reservationId)) === 'FAIL');
    const [message] = await messagesOf(t, other, held.requestId);
    expect(message).toMatchObject({
      status: 'COMPLETED',
      statusName: 'fail',
      statusCode: 'CALLING_NUMBER_NOT_APPROVED',
    });
    expect(embedded.simulator.sens.received('01060000021')).toBe(0);
  });
});
