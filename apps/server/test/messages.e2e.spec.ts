import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';
import { NO_DISPATCH, sendBody, sendingProject, SendingProject } from './messages-fixtures';

describe('send: POST /v1/messages', () => {
  let t: TestApp;
  let p: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    p = await sendingProject(t, 'Sender');
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (body: object, query = '') => t.http.post(`/v1/messages${query}`).set(p.auth).send(body);

  it('accepts an SMS with 202 and stores one READY message per recipient', async () => {
    const response = await send(
      sendBody({ messages: [{ to: '010-1111-2222' }, { to: '01033334444' }] }),
    ).expect(202);
    expect(response.body).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      requestTime: t.clock.now().toISOString(),
      statusCode: '202',
      statusName: 'success',
      reservationId: null,
      sendTime: t.clock.now().toISOString(),
      deferred: false,
      accepted: 2,
      rejected: [],
    });
    const request = await t.http.get(`/v1/requests/${response.body.requestId}`).set(p.auth).expect(200);
    expect(request.body).toMatchObject({
      requestId: response.body.requestId,
      accepted: 2,
      rejected: 0,
      total: 2,
    });
    expect(request.body.messages).toEqual([
      expect.objectContaining({
        to: '01011112222',
        type: 'SMS',
        status: 'READY',
        state: 'QUEUED',
        bytes: 10,
      }),
      expect.objectContaining({ to: '01033334444', type: 'SMS', status: 'READY', state: 'QUEUED' }),
    ]);
  });
});
