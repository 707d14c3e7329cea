import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './test-app';
import { NO_DISPATCH, sendBody, sendingProject, SendingProject } from './messages-fixtures';

describe('reservations', () => {
  let t: TestApp;
  let p: SendingProject;

  beforeAll(async () => {
    // The clock stays at 2026-03-02 10:00 Seoul: every reservation below is in the future.
    t = await startTestApp({ env: NO_DISPATCH });
    p = await sendingProject(t, 'Reserver');
  });

  afterAll(async () => {
    await t?.close();
  });

  const reserve = (reserveTime: string, extra: object = {}, project: SendingProject = p) =>
    t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ reserveTime, messages: [{ to: '01011112222' }, { to: '01033334444' }], ...extra }));
  const messagesOf = async (requestId: string) =>
    (await t.http.get(`/v1/requests/${requestId}`).set(p.auth).expect(200)).body.messages;

  it('holds a send with reserveTime: 202 reserved, a READY reservation, RESERVED messages', async () => {
    const response = await reserve('2026-03-05 14:30').expect(202);
    const sendTime = '2026-03-05T05:30:00.000Z';
    expect(response.body).toMatchObject({
      statusCode: '202',
      statusName: 'reserved',
      reservationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sendTime,
      accepted: 2,
    });
    const reservation = await t.http
      .get(`/v1/reservations/${response.body.reservationId}`)
      .set(p.auth)
      .expect(200);
    expect(reservation.body).toMatchObject({
      reservationId: response.body.reservationId,
      requestId: response.body.requestId,
      sendTime,
      reserveTimeZone: 'Asia/Seoul',
      status: 'READY',
      request: { contentType: 'COMM', from: '0212345678', content: '안녕하세요', recipients: 2 },
    });
    const messages = await messagesOf(response.body.requestId);
    for (const m of messages) {
      expect(m).toMatchObject({
        status: 'READY',
        state: 'RESERVED',
        sendTime,
        reservationId: response.body.reservationId,
      });
    }
    const request = await t.http.get(`/v1/requests/${response.body.requestId}`).set(p.auth).expect(200);
    expect(request.body).toMatchObject({
      statusName: 'reserved',
      reserveTime: sendTime,
      reserveTimeZone: 'Asia/Seoul',
    });
  });

  it('shows the reservation in a dry run and stores none', async () => {
    const before = (await t.http.get('/v1/reservations').set(p.auth).expect(200)).body.items.length;
    const plan = await t.http
      .post('/v1/messages?dryRun=true')
      .set(p.auth)
      .send(sendBody({ reserveTime: '2026-03-08 02:30', reserveTimeZone: 'America/New_York' }))
      .expect(200);
    // 02:30 does not exist in New York that night (DST starts): the next valid minute, 03:00 EDT.
    expect(plan.body.reservation).toEqual({
      sendTime: '2026-03-08T07:00:00.000Z',
      zone: 'America/New_York',
      local: '2026-03-08 03:00',
      adjustment: 'DST_GAP_SHIFTED',
    });
    expect(plan.body.recipients[0].sendTime).toBe('2026-03-08T07:00:00.000Z');
    const after = (await t.http.get('/v1/reservations').set(p.auth).expect(200)).body.items.length;
    expect(after).toBe(before);
  });

  it('reads reserveTime in reserveTimeZone', async () => {
    const response = await reserve('2026-03-05 09:00', { reserveTimeZone: 'America/New_York' }).expect(202);
    expect(response.body.sendTime).toBe('2026-03-05T14:00:00.000Z');
  });

  it('cancels a READY reservation and its messages in one go; a second cancel is 409', async () => {
    const response = await reserve('2026-03-06 09:00').expect(202);
    const id = response.body.reservationId;
    const canceled = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(200);
    expect(canceled.body).toMatchObject({ reservationId: id, status: 'CANCELED' });
    for (const m of await messagesOf(response.body.requestId)) {
      expect(m).toMatchObject({
        status: 'COMPLETED',
        state: 'CANCELED',
        statusName: 'fail',
        statusCode: 'CANCELED',
        completeTime: t.clock.now().toISOString(),
      });
    }
    const again = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(409);
    expect(again.body).toMatchObject({ statusCode: 409, code: 'RESERVATION_NOT_CANCELABLE' });
  });

  it('refuses to cancel a reservation that has started (PROCESSING) or is DONE, and leaves it as it was', async () => {
    const database = t.app.get(DataSource);
    for (const status of ['PROCESSING', 'DONE', 'STALE']) {
      const response = await reserve('2026-03-07 09:00').expect(202);
      const id = response.body.reservationId;
      await database.query(`UPDATE reservations SET status = $2 WHERE id = $1`, [id, status]);
      const refused = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(409);
      expect(refused.body).toMatchObject({
        code: 'RESERVATION_NOT_CANCELABLE',
        message: expect.stringContaining(status),
      });
      const after = await t.http.get(`/v1/reservations/${id}`).set(p.auth).expect(200);
      expect(after.body.status).toBe(status);
      for (const m of await messagesOf(response.body.requestId)) expect(m.state).toBe('RESERVED');
    }
  });

  describe('list', () => {
    let l: SendingProject;
    const ids: string[] = [];

    beforeAll(async () => {
      l = await sendingProject(t, 'Lister');
      for (const time of ['2026-03-10 09:00', '2026-03-11 09:00', '2026-03-12 09:00']) {
        ids.push((await reserve(time, {}, l).expect(202)).body.reservationId);
      }
      await t.http.post(`/v1/reservations/${ids[1]}/cancel`).set(l.auth).expect(200);
    });

    const list = (query = '') => t.http.get(`/v1/reservations${query}`).set(l.auth);

    it('lists newest send time first, filtered by send time and status', async () => {
      const all = await list().expect(200);
      expect(all.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([
        ids[2],
        ids[1],
        ids[0],
      ]);
      expect(all.body.nextCursor).toBeNull();
      const ready = await list('?status=READY').expect(200);
      expect(ready.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([
        ids[2],
        ids[0],
      ]);
      const canceled = await list('?status=CANCELED').expect(200);
      expect(canceled.body.items).toHaveLength(1);
      const range = await list('?sendTimeFrom=2026-03-11T00:00:00Z&sendTimeTo=2026-03-12T00:00:00Z').expect(
        200,
      );
      expect(range.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([ids[1]]);
    });

    it('pages with a cursor', async () => {
      const first = await list('?limit=2').expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await list(`?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([ids[0]]);
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      ['?status=WAITING', 'INVALID_VALUE', 'status'],
      ['?sendTimeFrom=soon', undefined, 'sendTimeFrom'],
      ['?limit=1001', 'TOO_LARGE', 'limit'],
      ['?cursor=%%%', 'INVALID_CURSOR', 'cursor'],
    ])('refuses %s with 400', async (query, code, field) => {
      const response = await list(query).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, field });
      if (code) expect(response.body.code).toBe(code);
    });

    it('shows nothing of another project (404 on its ids, an empty list)', async () => {
      const stranger = await sendingProject(t, 'Stranger');
      await t.http.get(`/v1/reservations/${ids[0]}`).set(stranger.auth).expect(404);
      await t.http.post(`/v1/reservations/${ids[0]}/cancel`).set(stranger.auth).expect(404);
      await t.http.get('/v1/reservations/nope').set(stranger.auth).expect(404);
      const theirs = await t.http.get('/v1/reservations').set(stranger.auth).expect(200);
      expect(theirs.body.items).toEqual([]);
      // Still READY for its owner.
      const mine = await t.http.get(`/v1/reservations/${ids[0]}`).set(l.auth).expect(200);
      expect(mine.body.status).toBe('READY');
    });
  });

  it('refuses a reservation beyond the 180-day horizon', async () => {
    const response = await reserve('2026-12-31 09:00').expect(422);
    expect(response.body).toMatchObject({ code: 'RESERVE_TIME_BEYOND_HORIZON', field: 'reserveTime' });
  });
});
