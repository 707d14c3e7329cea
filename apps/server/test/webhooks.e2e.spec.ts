import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { WebhookDelivery } from '../src/webhooks/webhooks.module';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';
import { type ReceivedRequest, WebhookReceiver, waitFor } from './webhooks-receiver';

/** The verification recipe exactly as apps/server/README.md documents it ("Webhooks"). */
function verifyMunjaWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  nowSeconds = Date.now() / 1000,
  toleranceSeconds = 300,
): boolean {
  const timestamp = String(headers['munja-timestamp'] ?? '');
  const signature = String(headers['munja-signature'] ?? '');
  if (!/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(
    'v1=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'),
  );
  return signature.split(',').some((part) => {
    const candidate = Buffer.from(part.trim());
    return candidate.length === expected.length && crypto.timingSafeEqual(candidate, expected);
  });
}

const HOUR = 3_600_000;

describe('outbound webhooks', () => {
  let t: TestApp;
  let clock: TestClock;
  let p: SendingProject;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    clock = new TestClock();
    t = await startTestApp({
      clock,
      env: {
        ...NO_DISPATCH,
        MUNJA_WEBHOOK_TICK_MS: '40',
        MUNJA_WEBHOOK_TIMEOUT_MS: '1000',
        MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
    p = await sendingProject(t, 'Webhooks');
    receiver = await new WebhookReceiver(() => 200).start();
  });

  afterEach(async () => {
    if (!t) return;
    // Each test registers its own endpoints; none may see the next test's events.
    const { body } = await t.http.get('/v1/webhooks').set(p.auth).expect(200);
    for (const endpoint of body.items as Array<{ id: string }>) {
      await t.http.delete(`/v1/webhooks/${endpoint.id}`).set(p.auth).expect(204);
    }
    receiver.requests.length = 0;
    receiver.setAnswer(() => 200);
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const send = async (body = sendBody()) =>
    (await t.http.post('/v1/messages').set(p.auth).send(body).expect(202)).body.requestId as string;
  const register = async (eventTypes: string[] = ['message.status_changed'], extra: object = {}) =>
    (
      await t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: receiver.url, eventTypes, ...extra })
        .expect(201)
    ).body as { id: string; secret: string; status: string };
  const wake = () => t.app.get(WebhookDelivery).worker.wake();
  const nowSeconds = () => clock.now().getTime() / 1000;

  describe('endpoints API', () => {
    it('creates an endpoint with a generated secret shown once, lists, gets, updates and deletes it', async () => {
      const created = await t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({
          url: 'https://example.com/hooks',
          eventTypes: ['message.status_changed'],
          description: 'crm',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        url: 'https://example.com/hooks',
        eventTypes: ['message.status_changed'],
        description: 'crm',
        status: 'ENABLED',
        disabledAt: null,
        disabledReason: null,
        consecutiveFailures: 0,
        createdAt: '2026-03-02T01:00:00.000Z',
      });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const id = created.body.id as string;

      const got = await t.http.get(`/v1/webhooks/${id}`).set(p.auth).expect(200);
      expect(got.body.secret).toBeUndefined();
      const listed = await t.http.get('/v1/webhooks').set(p.auth).expect(200);
      expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

      const updated = await t.http
        .patch(`/v1/webhooks/${id}`)
        .set(p.auth)
        .send({ eventTypes: ['reservation.status_changed', '*'], enabled: false })
        .expect(200);
      expect(updated.body).toMatchObject({
        eventTypes: ['*'],
        status: 'DISABLED',
        disabledReason: 'disabled by the project',
      });
      const enabled = await t.http
        .patch(`/v1/webhooks/${id}`)
        .set(p.auth)
        .send({ enabled: true })
        .expect(200);
      expect(enabled.body).toMatchObject({ status: 'ENABLED', disabledAt: null, disabledReason: null });

      const other = await sendingProject(t, 'Someone else');
      await t.http.get(`/v1/webhooks/${id}`).set(other.auth).expect(404);
      await t.http.delete(`/v1/webhooks/${id}`).set(other.auth).expect(404);

      await t.http.delete(`/v1/webhooks/${id}`).set(p.auth).expect(204);
      await t.http.get(`/v1/webhooks/${id}`).set(p.auth).expect(404);
    });

    it.each([
      ['an ftp URL', { url: 'ftp://example.com/x', eventTypes: ['*'] }, 'url', 'INVALID_URL'],
      ['a URL without a scheme', { url: 'example.com/x', eventTypes: ['*'] }, 'url', 'INVALID_URL'],
      ['no event types', { url: 'https://example.com', eventTypes: [] }, 'eventTypes', 'TOO_FEW'],
      [
        'an unknown event type',
        { url: 'https://example.com', eventTypes: ['message.sent'] },
        'eventTypes',
        'INVALID_VALUE',
      ],
      [
        'a short secret',
        { url: 'https://example.com', eventTypes: ['*'], secret: 'x'.repeat(15) },
        'secret',
        'TOO_SHORT',
      ],
      ['no URL', { eventTypes: ['*'] }, 'url', 'REQUIRED'],
    ])('refuses %s', async (_name, body, field, code) => {
      const response = await t.http.post('/v1/webhooks').set(p.auth).send(body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code, field });
    });

    it('keeps a 16-character secret given by the project, and needs a project key', async () => {
      const created = await register(['*'], { secret: 's'.repeat(16) });
      expect(created.secret).toBe('s'.repeat(16));
      await t.http.get('/v1/webhooks').expect(401);
      await t.http.get('/v1/webhooks').set(t.bearer(t.operatorKey)).expect(403);
    });
  });

  it('retries a receiver that fails 3 times, with the same event id, signed per the README recipe', async () => {
    const failuresPerEvent = new Map<string, number>();
    receiver.setAnswer((request: ReceivedRequest) => {
      const id = String(request.headers['munja-event-id']);
      const failures = failuresPerEvent.get(id) ?? 0;
      if (failures >= 3) return 200;
      failuresPerEvent.set(id, failures + 1);
      return 500;
    });
    const endpoint = await register();
    const requestId = await send();

    const first = await waitFor(() => receiver.requests[0]);
    const eventId = String(first.headers['munja-event-id']);
    for (let attempt = 2; attempt <= 4; attempt++) {
      // The failed attempt is recorded (with its retry time) before the clock moves past the backoff.
      await waitFor(async () => {
        const { body } = await t.http
          .get('/v1/webhooks/deliveries')
          .query({ eventId })
          .set(p.auth)
          .expect(200);
        return body.items[0]?.attemptLog.length === attempt - 1;
      });
      // Not due yet: nothing more arrives until the clock passes the backoff.
      wake();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(receiver.forEvent(eventId)).toHaveLength(attempt - 1);
      clock.advance(2 * HOUR);
      wake();
      await waitFor(() => receiver.forEvent(eventId).length >= attempt);
    }
    const deliveries = await waitFor(async () => {
      const { body } = await t.http.get('/v1/webhooks/deliveries').query({ eventId }).set(p.auth).expect(200);
      return body.items[0]?.status === 'DELIVERED' ? body.items : undefined;
    });

    const received = receiver.forEvent(eventId);
    expect(received).toHaveLength(4);
    // The same event each time: same id, same body; every signature checks out with the documented recipe.
    expect(new Set(received.map((r) => r.rawBody)).size).toBe(1);
    for (const request of received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(
        verifyMunjaWebhook(endpoint.secret, request.headers, request.rawBody, nowSeconds(), 7 * 3600),
      ).toBe(true);
    }
    const last = received[3]!;
    expect(verifyMunjaWebhook(endpoint.secret, last.headers, last.rawBody, nowSeconds())).toBe(true);
    expect(verifyMunjaWebhook('whsec_wrong', last.headers, last.rawBody, nowSeconds())).toBe(false);
    expect(
      verifyMunjaWebhook(endpoint.secret, last.headers, last.rawBody.replace('QUEUED', 'SENT'), nowSeconds()),
    ).toBe(false);
    // Outside the 5-minute tolerance a (replayed) request is refused.
    expect(verifyMunjaWebhook(endpoint.secret, last.headers, last.rawBody, nowSeconds() + 301)).toBe(false);

    const body = JSON.parse(last.rawBody);
    expect(body).toMatchObject({
      id: eventId,
      type: 'message.status_changed',
      createdAt: '2026-03-02T01:00:00.000Z',
      data: {
        requestId,
        to: '01011112222',
        type: 'SMS',
        status: 'READY',
        state: 'QUEUED',
        statusName: null,
        pluginId: null,
        requestTime: '2026-03-02T01:00:00.000Z',
      },
    });
    expect(body.data.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(last.rawBody).not.toContain(p.apiKey);

    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      eventId,
      eventType: 'message.status_changed',
      endpointId: endpoint.id,
      status: 'DELIVERED',
      attempts: 4,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(
      deliveries[0].attemptLog.map((a: { attempt: number; statusCode: number; outcome: string }) => [
        a.attempt,
        a.statusCode,
        a.outcome,
      ]),
    ).toEqual([
      [1, 500, 'RETRY'],
      [2, 500, 'RETRY'],
      [3, 500, 'RETRY'],
      [4, 200, 'DELIVERED'],
    ]);
    expect(deliveries[0].attemptLog[0].error).toBe('HTTP 500: receiver says no');
    const endpointNow = await t.http.get(`/v1/webhooks/${endpoint.id}`).set(p.auth).expect(200);
    expect(endpointNow.body).toMatchObject({ status: 'ENABLED', failingSince: null, consecutiveFailures: 0 });
  });

  it('disables an endpoint failing for 24 h, says why, and queues nothing for it until re-enabled', async () => {
    receiver.setAnswer(() => 503);
    const endpoint = await register();
    await send();
    await waitFor(() => receiver.requests.length >= 1);
    const failing = await waitFor(async () => {
      const { body } = await t.http.get(`/v1/webhooks/${endpoint.id}`).set(p.auth).expect(200);
      return body.failingSince ? body : undefined;
    });
    expect(failing.status).toBe('ENABLED');

    clock.advance(24 * HOUR + 60_000);
    wake();
    const disabled = await waitFor(async () => {
      const { body } = await t.http.get(`/v1/webhooks/${endpoint.id}`).set(p.auth).expect(200);
      return body.status === 'DISABLED' ? body : undefined;
    });
    expect(disabled.disabledAt).toBe(clock.now().toISOString());
    expect(disabled.disabledReason).toMatch(/^FAILING_TOO_LONG: no successful delivery since .* \(24 h\)$/);
    const log = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ endpointId: endpoint.id })
      .set(p.auth)
      .expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ status: 'FAILED', attempts: 2, lastStatusCode: 503 });
    expect(log.body.items[0].attemptLog.map((a: { outcome: string }) => a.outcome)).toEqual([
      'RETRY',
      'FAILED',
    ]);

    // While disabled, changes make no deliveries; re-enabled, they flow again.
    await send();
    const none = await t.http.get('/v1/webhooks/deliveries').query({ endpointId: endpoint.id }).set(p.auth);
    expect(none.body.items).toHaveLength(1);
    receiver.setAnswer(() => 204);
    await t.http.patch(`/v1/webhooks/${endpoint.id}`).set(p.auth).send({ enabled: true }).expect(200);
    await send();
    const delivered = await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: endpoint.id, status: 'DELIVERED' })
        .set(p.auth)
        .expect(200);
      return body.items.length === 1 ? body.items : undefined;
    });
    expect(delivered[0].attemptLog[0]).toMatchObject({ statusCode: 204, outcome: 'DELIVERED' });
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    receiver.setAnswer(() => 'hang');
    const endpoint = await register();
    await send();
    const log = await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: endpoint.id })
        .set(p.auth)
        .expect(200);
      return body.items[0]?.attemptLog.length === 1 ? body.items[0] : undefined;
    }, 20_000);
    expect(log).toMatchObject({
      status: 'PENDING',
      lastStatusCode: null,
      lastError: 'timeout after 1000 ms',
    });
    expect(log.attemptLog[0].durationMs).toBeGreaterThanOrEqual(900);
    expect(log.nextAttemptAt).not.toBeNull();
  });

  it('sends reservation events only to endpoints subscribed to them, and pages the log', async () => {
    const reservations = await register(['reservation.status_changed']);
    const everything = await register(['*']);
    const sent = await t.http
      .post('/v1/messages')
      .set(p.auth)
      .send(
        sendBody({
          reserveTime: '2026-03-05 10:00',
          messages: [{ to: '010-1111-2222' }, { to: '010-3333-4444' }],
        }),
      )
      .expect(202);
    const reservationId = sent.body.reservationId as string;
    expect(reservationId).toMatch(/^[0-9a-f-]{36}$/);
    await t.http.post(`/v1/reservations/${reservationId}/cancel`).set(p.auth).expect(200);

    const forReservations = await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: reservations.id, status: 'DELIVERED' })
        .set(p.auth);
      return body.items.length === 2 ? body.items : undefined;
    });
    expect(
      forReservations.every((d: { eventType: string }) => d.eventType === 'reservation.status_changed'),
    ).toBe(true);

    // `*`: 2 reservation events + 2 messages × (RESERVED, CANCELED) = 6 deliveries, paged 4 + 2.
    await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: everything.id, status: 'DELIVERED' })
        .set(p.auth);
      return body.items.length === 6;
    });
    const bodies = receiver.requests
      .map((r) => JSON.parse(r.rawBody))
      .filter((b) => b.type === 'reservation.status_changed' && b.data.reservationId === reservationId);
    expect(bodies.map((b) => b.data.status).sort()).toEqual(['CANCELED', 'CANCELED', 'READY', 'READY']);
    const { body: all } = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ endpointId: everything.id, limit: 4 })
      .set(p.auth)
      .expect(200);
    expect(all.items).toHaveLength(4);
    const rest = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ endpointId: everything.id, limit: 4, cursor: all.nextCursor })
      .set(p.auth)
      .expect(200);
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
    const ids = [...all.items, ...rest.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(6);
    await t.http.get('/v1/webhooks/deliveries').query({ cursor: 'nope!' }).set(p.auth).expect(400);
  });

  it('stores nothing in the outbox for projects without an endpoint', async () => {
    await send();
    const [row] = (await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM webhook_events WHERE project_id = $1`, [p.projectId])) as Array<{
      n: number;
    }>;
    const before = row!.n;
    await send();
    const [after] = (await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM webhook_events WHERE project_id = $1`, [p.projectId])) as Array<{
      n: number;
    }>;
    expect(after!.n).toBe(before);
  });

  // Last: it moves the clock a month on.
  it('purges events older than 30 days with their log, keeping those still pending', async () => {
    const db = t.app.get(DataSource);
    const good = await register();
    await send();
    await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: good.id, status: 'DELIVERED' })
        .set(p.auth);
      return body.items.length === 1;
    });
    const deliveredEventId = String(
      receiver.requests[receiver.requests.length - 1]!.headers['munja-event-id'],
    );
    await t.http.delete(`/v1/webhooks/${good.id}`).set(p.auth).expect(204);
    receiver.setAnswer(() => 500);
    const failing = await register();
    await send();
    await waitFor(async () => {
      const { body } = await t.http
        .get('/v1/webhooks/deliveries')
        .query({ endpointId: failing.id })
        .set(p.auth);
      return body.items[0]?.attempts === 1 && body.items[0]?.attemptLog.length === 1;
    });
    // Disabled by the project: its delivery stays pending (and is not attempted) until re-enabled.
    await t.http.patch(`/v1/webhooks/${failing.id}`).set(p.auth).send({ enabled: false }).expect(200);
    const count = async () =>
      (
        (await db.query(
          `SELECT (SELECT count(*) FROM webhook_events)::int AS events,
                (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING')::int AS pending,
                (SELECT count(*) FROM webhook_attempts)::int AS attempts`,
        )) as Array<{ events: number; pending: number; attempts: number }>
      )[0]!;
    expect((await count()).pending).toBe(1);

    const worker = t.app.get(WebhookDelivery).worker;
    expect(await worker.purgeOld()).toBe(0);
    // 29 days on, this test's events stay (earlier tests' ones, a day older, may go).
    clock.advance(29 * 24 * HOUR);
    await worker.purgeOld();
    const exists = async (id: string) =>
      ((await db.query(`SELECT 1 FROM webhook_events WHERE id = $1`, [id])) as unknown[]).length === 1;
    expect(await exists(deliveredEventId)).toBe(true);
    clock.advance(2 * 24 * HOUR);
    expect(await worker.purgeOld()).toBeGreaterThanOrEqual(1);
    expect(await exists(deliveredEventId)).toBe(false);
    expect(await count()).toEqual({ events: 1, pending: 1, attempts: 1 });
    const { body } = await t.http.get('/v1/webhooks/deliveries').set(p.auth).expect(200);
    expect(body.items.map((d: { endpointId: string }) => d.endpointId)).toEqual([failing.id]);
  });
});

describe('outbound webhooks with the default settings', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    'http://127.0.0.1:8080/hooks',
    'http://localhost/hooks',
    'https://api.localhost/hooks',
    'http://10.1.2.3/hooks',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hooks',
    'http://[fd00::1]/hooks',
  ])('refuses an endpoint on a private or reserved address: %s', async (url) => {
    const p = await t.createProject('Private');
    const auth = t.bearer(p.apiKey);
    const response = await t.http
      .post('/v1/webhooks')
      .set(auth)
      .send({ url, eventTypes: ['*'] })
      .expect(400);
    expect(response.body).toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' });
  });

  it('accepts a public one, and refuses changing it to a private one', async () => {
    const p = await t.createProject('Public');
    const auth = t.bearer(p.apiKey);
    const created = await t.http
      .post('/v1/webhooks')
      .set(auth)
      .send({ url: 'https://hooks.example.com/munja', eventTypes: ['*'] })
      .expect(201);
    const refused = await t.http
      .patch(`/v1/webhooks/${created.body.id}`)
      .set(auth)
      .send({ url: 'http://192.168.0.10/x' })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url' });
  });
});
