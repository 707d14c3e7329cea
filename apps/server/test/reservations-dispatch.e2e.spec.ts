import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { completed, FAST_DISPATCH, messagesOf, waitFor } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

/** Reservations with the dispatcher running: held until their time on the injectable clock, or never sent. */
describe('reservations with dispatch', () => {
  let t: TestApp;
  let p: SendingProject;
  let embedded: EmbeddedSimulator;
  // 2026-03-02 10:00 Seoul.
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({ env: FAST_DISPATCH, clock });
    p = await sendingProject(t, 'Reserved sends');
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });

  afterAll(async () => {
    await t?.close();
  });

  const reserve = async (reserveTime: string, to: string[]) =>
    (
      await t.http
        .post('/v1/messages')
        .set(p.auth)
        .send(sendBody({ reserveTime, messages: to.map((n) => ({ to: n })) }))
        .expect(202)
    ).body as { requestId: string; reservationId: string; sendTime: string };
  const reservation = async (id: string) =>
    (await t.http.get(`/v1/reservations/${id}`).set(p.auth).expect(200)).body as { status: string };
  const sweeps = () => new Promise((resolve) => setTimeout(resolve, 500));

  it('holds a reservation until its time, then sends it and marks it DONE', async () => {
    const to = ['01050000001', '01050000002'];
    const held = await reserve('2026-03-02 10:05', to);
    await sweeps();
    expect((await messagesOf(t, p, held.requestId)).map((m) => m.state)).toEqual(['RESERVED', 'RESERVED']);
    expect(embedded.simulator.sens.received(to[0]!)).toBe(0);

    clock.set(held.sendTime);
    const messages = await completed(t, p, held.requestId);
    for (const m of messages) expect(m).toMatchObject({ status: 'COMPLETED', statusName: 'success' });
    expect(to.map((n) => embedded.simulator.sens.received(n))).toEqual([1, 1]);
    await waitFor(async () => (await reservation(held.reservationId)).status === 'DONE');
  });

  it('never sends a canceled reservation', async () => {
    const to = ['01050000011'];
    const held = await reserve('2026-03-02 10:10', to);
    await t.http.post(`/v1/reservations/${held.reservationId}/cancel`).set(p.auth).expect(200);
    clock.set(held.sendTime);
    await sweeps();
    const [message] = await messagesOf(t, p, held.requestId);
    expect(message).toMatchObject({ state: 'CANCELED', status: 'COMPLETED', statusCode: 'CANCELED' });
    expect(embedded.simulator.sens.received(to[0]!)).toBe(0);
    expect((await reservation(held.reservationId)).status).toBe('CANCELED');
  });

  it('cannot cancel a reservation once it has been sent', async () => {
    const held = await reserve('2026-03-02 10:20', ['01050000021']);
    clock.set(held.sendTime);
    await completed(t, p, held.requestId);
    const refused = await t.http
      .post(`/v1/reservations/${held.reservationId}/cancel`)
      .set(p.auth)
      .expect(409);
    expect(refused.body.code).toBe('RESERVATION_NOT_CANCELABLE');
  });
});
