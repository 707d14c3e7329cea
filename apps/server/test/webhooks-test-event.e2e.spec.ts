import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NO_DISPATCH, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';
import { WebhookReceiver, waitFor } from './webhooks-receiver';

/** POST /v1/webhooks/test-events: a webhook.test event through the ordinary delivery path. */
describe('webhook test event', () => {
  let t: TestApp;
  let p: SendingProject;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({
      clock: new TestClock(),
      env: { ...NO_DISPATCH, MUNJA_WEBHOOK_TICK_MS: '40', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    p = await sendingProject(t, 'Webhook test events');
    receiver = await new WebhookReceiver(() => 200).start();
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const register = async (eventTypes: string[]) =>
    (await t.http.post('/v1/webhooks').set(p.auth).send({ url: receiver.url, eventTypes }).expect(201))
      .body as { id: string; secret: string };

  const testEvent = (endpointId: unknown) => t.http.post('/v1/webhooks/test-events').send({ endpointId });

  it('sends one signed webhook.test event to that endpoint only and logs its delivery', async () => {
    // Subscribed to reservations only: a test event goes to the endpoint it names whatever it subscribes to.
    const endpoint = await register(['reservation.status_changed']);
    const other = await register(['*']);
    const { body: queued } = await testEvent(endpoint.id).set(p.auth).expect(202);
    expect(queued).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deliveryId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'webhook.test',
      createdAt: '2026-03-02T01:00:00.000Z',
    });

    const request = await waitFor(() => receiver.forEvent(queued.eventId)[0]);
    const timestamp = String(request.headers['munja-timestamp']);
    const expected = crypto
      .createHmac('sha256', endpoint.secret)
      .update(`${timestamp}.${request.rawBody}`)
      .digest('hex');
    expect(request.headers['munja-signature']).toBe(`v1=${expected}`);
    expect(JSON.parse(request.rawBody)).toEqual({
      id: queued.eventId,
      type: 'webhook.test',
      createdAt: '2026-03-02T01:00:00.000Z',
      data: { endpointId: endpoint.id, message: expect.stringContaining('test event') },
    });

    const delivery = await waitFor(async () => {
      const { body } = await t.http
        .get(`/v1/webhooks/deliveries/${queued.deliveryId}`)
        .set(p.auth)
        .expect(200);
      return body.status === 'DELIVERED' ? body : undefined;
    });
    expect(delivery).toMatchObject({
      eventId: queued.eventId,
      eventType: 'webhook.test',
      endpointId: endpoint.id,
      attempts: 1,
      attemptLog: [{ attempt: 1, statusCode: 200, outcome: 'DELIVERED' }],
    });
    const { body: log } = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ eventId: queued.eventId })
      .set(p.auth)
      .expect(200);
    expect(log.items.map((d: { endpointId: string }) => d.endpointId)).toEqual([endpoint.id]);
    expect(receiver.requests.filter((r) => r.rawBody.includes(other.id))).toHaveLength(0);
  });

  it('refuses an unknown endpoint (404), another project’s (404), a malformed id (400) and a disabled one (409)', async () => {
    const endpoint = await register(['*']);
    const unknown = await testEvent(crypto.randomUUID()).set(p.auth).expect(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND', field: 'endpointId' });
    const stranger = await sendingProject(t, 'Someone else');
    await testEvent(endpoint.id).set(stranger.auth).expect(404);
    const malformed = await testEvent('not-a-uuid').set(p.auth).expect(400);
    expect(malformed.body).toMatchObject({ code: 'INVALID_UUID', field: 'endpointId' });

    await t.http.patch(`/v1/webhooks/${endpoint.id}`).set(p.auth).send({ enabled: false }).expect(200);
    const disabled = await testEvent(endpoint.id).set(p.auth).expect(409);
    expect(disabled.body).toMatchObject({ code: 'WEBHOOK_ENDPOINT_DISABLED', field: 'endpointId' });
    const { body: log } = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ endpointId: endpoint.id })
      .set(p.auth)
      .expect(200);
    expect(log.items).toEqual([]);
  });
});
