// Webhook deliveries (in process and across processes) and retention. One file (one module load of the service
// for all of them) with a describe per former file; each still boots its own app on its own fresh database, as before.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { requestTimeRangeOf } from '../src/messages/message-id';
import { partitionDay } from '../src/retention/partition-calendar';
import { RetentionJob, type RetentionReport } from '../src/retention/retention-job';
import { Retention } from '../src/retention/retention.module';
import { DeliveryStore } from '../src/webhooks/delivery-store';
import { DeliveryWorker } from '../src/webhooks/delivery-worker';
import { WebhookDelivery } from '../src/webhooks/webhooks.module';
import { unguardedMessagePartitions } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';
import { type ReceivedRequest, waitFor, WebhookReceiver } from './webhooks-receiver';

// ---- formerly test/webhooks.e2e.spec.ts
describe('webhooks', () => {
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
        const { body } = await t.http
          .get('/v1/webhooks/deliveries')
          .query({ eventId })
          .set(p.auth)
          .expect(200);
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
        verifyMunjaWebhook(
          endpoint.secret,
          last.headers,
          last.rawBody.replace('QUEUED', 'SENT'),
          nowSeconds(),
        ),
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
      // event, delivery and request ids are UUIDv7 of their time, so their tables' keys grow at the right edge
      for (const id of [eventId, deliveries[0].id, requestId])
        expect(requestTimeRangeOf(id)?.from.toISOString()).toBe('2026-03-02T01:00:00.000Z');
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
      expect(endpointNow.body).toMatchObject({
        status: 'ENABLED',
        failingSince: null,
        consecutiveFailures: 0,
      });
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
        .query(`SELECT count(*)::int AS n FROM webhook_events WHERE project_id = $1`, [
          p.projectId,
        ])) as Array<{
        n: number;
      }>;
      const before = row!.n;
      await send();
      const [after] = (await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM webhook_events WHERE project_id = $1`, [
          p.projectId,
        ])) as Array<{
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
});

// ---- formerly test/webhooks-test-event.e2e.spec.ts
describe('webhooks-test-event', () => {
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
});

// ---- formerly test/webhooks-processes.e2e.spec.ts
describe('webhooks-processes', () => {
  const EVENTS = 300;

  /**
   * Two delivery workers on one database share the deliveries and attempt each once. On PostgreSQL they are two
   * application instances (two pools, two LISTEN connections) on the same database; on the embedded PGlite, which
   * one process owns, the second is another worker over the same pool.
   */
  describe('webhook delivery shared by two workers', () => {
    let a: TestApp;
    let b: TestApp | undefined;
    let extra: DeliveryWorker | undefined;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      const env = { ...NO_DISPATCH, MUNJA_WEBHOOK_TICK_MS: '30', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' };
      a = await startTestApp({ env });
      if (a.database === 'postgres') {
        b = await startTestApp({ env: { ...env, DATABASE_URL: a.databaseUrl } });
      }
      receiver = await new WebhookReceiver(() => 200).start();
    });
    afterAll(async () => {
      await extra?.stop();
      await b?.close();
      await a?.close();
      await receiver?.stop();
    });

    it(`delivers ${EVENTS} events once each`, async () => {
      const workerA = a.app.get(WebhookDelivery).worker;
      const workerB =
        b?.app.get(WebhookDelivery).worker ??
        (extra = new DeliveryWorker(new DeliveryStore(a.app.get(DataSource)), a.clock, {
          tickMs: 30,
          timeoutMs: 10_000,
          backoffMs: 10_000,
          retryWindowMs: 24 * 3_600_000,
          failingWindowMs: 24 * 3_600_000,
          maxConsecutiveFailures: 100,
          batchSize: 20,
          allowPrivate: true,
        }));
      if (extra) extra.start();

      const p = await sendingProject(a, 'Shared');
      await a.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: receiver.url, eventTypes: ['*'] })
        .expect(201);
      const recipients = Array.from({ length: EVENTS }, (_, i) => ({
        to: `010-5${String(i).padStart(3, '0')}-0000`,
      }));
      await a.http
        .post('/v1/messages')
        .set(p.auth)
        .send(sendBody({ messages: recipients }))
        .expect(202);

      await waitFor(() => receiver.requests.length >= EVENTS, 60_000);
      // Let any duplicate that is still on its way arrive before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const perEvent = new Map<string, number>();
      for (const request of receiver.requests) {
        const id = String(request.headers['munja-event-id']);
        perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
      }
      expect(perEvent.size).toBe(EVENTS);
      expect([...perEvent.values()].every((count) => count === 1)).toBe(true);

      // Each attempt is recorded after the receiver answered: wait for the last records to commit.
      const counts = await waitFor(async () => {
        const [row] = (await a.app.get(DataSource).query(
          `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered, count(*)::int AS total,
                    (SELECT count(*)::int FROM webhook_attempts) AS attempts FROM webhook_deliveries`,
        )) as Array<{ delivered: number; total: number; attempts: number }>;
        return row && row.delivered === EVENTS ? row : undefined;
      });
      expect(counts).toEqual({ delivered: EVENTS, total: EVENTS, attempts: EVENTS });
      expect(workerA.attempted + workerB.attempted).toBe(EVENTS);
      // the split between the processes, on request (MUNJA_TEST_FIGURES=1): a passing run prints nothing
      if (process.env.MUNJA_TEST_FIGURES)
        process.stdout.write(
          `${JSON.stringify({ database: a.database, events: EVENTS, workerA: workerA.attempted, workerB: workerB.attempted })}\n`,
        );
    });
  });

  // The embedded PGlite is driven by the timer alone (no LISTEN connection), so this runs on PostgreSQL only.
  (process.env.DATABASE_URL ? describe : describe.skip)('webhook wake-up by NOTIFY', () => {
    let t: TestApp;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      // A ten-minute timer: only the trigger's NOTIFY can make a delivery go out within the test.
      t = await startTestApp({
        env: { ...NO_DISPATCH, MUNJA_WEBHOOK_TICK_MS: '600000', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
      });
      receiver = await new WebhookReceiver(() => 200).start();
    });
    afterAll(async () => {
      await t?.close();
      await receiver?.stop();
    });

    it('delivers an event at once when its transaction commits (PostgreSQL: LISTEN munja_webhooks)', async () => {
      const p = await sendingProject(t, 'Notify');
      await t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: receiver.url, eventTypes: ['*'] })
        .expect(201);
      const started = Date.now();
      await t.http.post('/v1/messages').set(p.auth).send(sendBody()).expect(202);
      await waitFor(() => receiver.requests.length === 1, 30_000);
      // well inside the 10-minute tick even on a loaded machine: only the notification can have delivered it
      expect(Date.now() - started).toBeLessThan(30_000);
    });
  });
});

// ---- formerly test/retention.e2e.spec.ts
describe('retention', () => {
  /** The migration also made partitions around the real date (from 2026-11), later than any clock here. */
  const JUNE = 'messages_p20260601';
  const LATER = 'messages_p20260900';

  /** Partition names of `count` days from `first` (YYYY-MM-DD). */
  const days = (first: string, count: number): string[] =>
    Array.from(
      { length: count },
      (_, i) => partitionDay(new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000)).name,
    );

  const ENV = { ...NO_DISPATCH, MUNJA_RETENTION: 'false', MUNJA_RETENTION_DAYS: '30' };

  /**
   * The partition upkeep and retention purge, stepped by hand with the injected clock. Rows are sent through the
   * API; a finished outcome (the dispatcher's job, off here) is written in SQL where a test needs finished rows.
   */
  describe('retention: daily message partitions dropped whole', () => {
    const clock = new TestClock('2026-03-02T01:00:00Z');
    let t: TestApp;
    let other: TestApp | undefined;
    let db: DataSource;
    let p: SendingProject;
    const requests: Record<string, string> = {};
    let reservationId: string;

    const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> =>
      (await db.query(text, params)) as T[];
    const partitions = async () =>
      (
        await sql<{ name: string }>(
          `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'messages'::regclass ORDER BY 1`,
        )
      ).map((row) => row.name);
    const send = async (label: string, body: Record<string, unknown>) => {
      const response = await t.http.post('/v1/messages').set(p.auth).send(body).expect(202);
      requests[label] = response.body.requestId as string;
      return response.body as { requestId: string; reservationId?: string };
    };
    /** Where a request's messages live, and in which states. */
    const placed = (label: string) =>
      sql<{ partition: string; state: string }>(
        `SELECT tableoid::regclass::text AS partition, state FROM messages WHERE request_id = $1 ORDER BY 1, 2`,
        [requests[label]],
      );
    /** Closes a request's messages as the lifecycle would: the rows final, their queue and awaiting rows gone. */
    const finish = (label: string) =>
      sql(
        `WITH done AS (
           UPDATE messages SET state = 'DELIVERED', status = 'COMPLETED', status_name = 'success', updated_at = now()
            WHERE request_id = $1 RETURNING id
         ), unqueued AS (DELETE FROM message_queue WHERE message_id IN (SELECT id FROM done))
         DELETE FROM awaiting_reports WHERE message_id IN (SELECT id FROM done)`,
        [requests[label]],
      );
    const requestsLeft = async () =>
      (await sql<{ id: string }>(`SELECT id FROM send_requests`)).map((row) => row.id).sort();

    beforeAll(async () => {
      t = await startTestApp({ clock, env: ENV });
      db = t.app.get(DataSource);
      p = await sendingProject(t, 'Retention');
    });
    afterAll(async () => {
      await other?.close();
      await t?.close();
    });

    it('creates today and the seven days ahead once; a day the DEFAULT already holds stays there', async () => {
      // Feb 20 has no partition (the migration made the days around the real date): its rows go to the DEFAULT.
      clock.set('2026-02-20T03:00:00Z');
      await send('feb20', sendBody({ messages: [{ to: '010-1000-0001' }, { to: '010-1000-0002' }] }));
      expect(await placed('feb20')).toEqual([
        { partition: 'messages_default', state: 'QUEUED' },
        { partition: 'messages_default', state: 'QUEUED' },
      ]);
      clock.set('2026-02-20T05:00:00Z');
      const feb = await t.app.get(Retention).run();
      expect(feb.leftInDefault).toEqual(['messages_p20260220']);
      expect(feb.created).toEqual(days('2026-02-21', 7));

      clock.set('2026-03-02T01:00:00Z');
      const first = await t.app.get(Retention).run();
      expect(first.ran).toBe(true);
      expect(first.created).toEqual(days('2026-03-02', 8));
      expect(first.dropped).toEqual([]);
      const again = await t.app.get(Retention).run();
      expect(again.created).toEqual([]);
      expect(await partitions()).toEqual(expect.arrayContaining(['messages_default', 'messages_p20260309']));
      // each day it made refuses inserts that name it (1766000000031): they would pass the request check by
      expect(await unguardedMessagePartitions(t)).toEqual([]);
    });

    it('drops the days past the retention whole, keeps days with messages in flight, purges the rest in batches', async () => {
      clock.set('2026-03-02T02:00:00Z');
      await send('mar02', sendBody({ messages: [{ to: '010-2000-0001' }, { to: '010-2000-0002' }] }));
      clock.set('2026-03-03T02:00:00Z');
      await send('mar03', sendBody({ messages: [{ to: '010-3000-0001' }, { to: '010-3000-0002' }] }));
      // Requested on Mar 3 for a time after the Mar 3 partition has passed the retention.
      const reserved = await send(
        'mar03reserved',
        sendBody({ reserveTime: '2026-05-01 10:00', messages: [{ to: '010-3000-0003' }] }),
      );
      reservationId = reserved.reservationId as string;
      clock.set('2026-03-20T02:00:00Z');
      await t.app.get(Retention).run();
      await send('mar20', sendBody({ messages: [{ to: '010-4000-0001' }] }));
      expect(await placed('mar02')).toEqual([
        { partition: 'messages_p20260302', state: 'QUEUED' },
        { partition: 'messages_p20260302', state: 'QUEUED' },
      ]);
      expect(await placed('mar03reserved')).toEqual([{ partition: 'messages_p20260303', state: 'RESERVED' }]);
      expect(await placed('mar20')).toEqual([{ partition: 'messages_p20260320', state: 'QUEUED' }]);
      for (const label of ['feb20', 'mar02', 'mar03']) await finish(label);
      await sql(
        `INSERT INTO delivery_reports (plugin_id, vendor_message_id, status, reported_at, received_at, source)
         VALUES ('sens', 'old', 'DELIVERED', $1, $1, 'polling'), ('sens', 'new', 'DELIVERED', $2, $2, 'polling')`,
        ['2026-02-25T00:00:00Z', '2026-04-01T00:00:00Z'],
      );

      // Apr 5, 01:00 UTC: the retention reaches back to Mar 6, 01:00.
      clock.set('2026-04-05T01:00:00Z');
      const report = await t.app.get(Retention).run();
      expect(report.ran).toBe(true);
      expect(report.lockTimeouts).toBe(0);
      expect(report.dropped).toEqual([
        ...days('2026-02-21', 7),
        'messages_p20260302',
        'messages_p20260304',
        'messages_p20260305',
      ]);
      expect(report.keptOpen).toEqual(['messages_p20260303']);
      // The DEFAULT's two Feb 20 rows, and the two finished rows of the kept Mar 3 day.
      expect(report.deleted.messages).toBe(4);
      expect(report.deleted.sendRequests).toBe(3);
      expect(report.deleted.deliveryReports).toBe(1);

      const left = await partitions();
      expect(left).not.toContain('messages_p20260302');
      expect(left).toEqual(
        expect.arrayContaining([
          'messages_default',
          'messages_p20260303',
          'messages_p20260306',
          'messages_p20260405',
        ]),
      );
      expect(await placed('feb20')).toEqual([]);
      expect(await placed('mar02')).toEqual([]);
      expect(await placed('mar03')).toEqual([]);
      expect(await placed('mar03reserved')).toEqual([{ partition: 'messages_p20260303', state: 'RESERVED' }]);
      expect(await placed('mar20')).toEqual([{ partition: 'messages_p20260320', state: 'QUEUED' }]);
      expect(await requestsLeft()).toEqual([requests.mar03reserved, requests.mar20].sort());
      expect(await sql(`SELECT vendor_message_id FROM delivery_reports`)).toEqual([
        { vendor_message_id: 'new' },
      ]);
      // The reservation kept its request, so it is still there to cancel; the newer history is still searchable.
      await t.http.get(`/v1/reservations/${reservationId}`).set(p.auth).expect(200);
      const history = await t.http.get('/v1/messages').set(p.auth).expect(200);
      expect(history.body.items.map((item: { to: string }) => item.to)).toEqual(['01040000001']);
    });

    it('two processes running it at once do each drop once, and neither fails', async () => {
      // Canceled, the reserved message is finished: its day can go too.
      await t.http.post(`/v1/reservations/${reservationId}/cancel`).set(p.auth).expect(200);
      await finish('mar20');
      const expected = (await partitions())
        .filter((name) => name !== 'messages_default' && name < JUNE)
        .sort();
      const second =
        t.database === 'postgres'
          ? (other = await startTestApp({ clock, env: { ...ENV, DATABASE_URL: t.databaseUrl } })).app.get(
              Retention,
            ).job
          : new RetentionJob(db, clock, {
              retentionDays: 30,
              daysAhead: 7,
              lockTimeoutMs: 2000,
              batchSize: 5000,
            });

      // Jun 1: the retention reaches back to May 2; every day so far has passed it.
      clock.set('2026-06-01T01:00:00Z');
      const reports: RetentionReport[] = await Promise.all([t.app.get(Retention).run(), second.run()]);
      const dropped = reports.flatMap((report) => report.dropped).sort();
      expect(dropped).toEqual(expected);
      const created = reports.flatMap((report) => report.created).sort();
      expect(new Set(created).size).toBe(created.length);

      const after = await t.app.get(Retention).run();
      expect(after).toMatchObject({ ran: true, dropped: [], keptOpen: [], lockTimeouts: 0 });
      expect([...created, ...after.created].sort()).toEqual(days('2026-06-01', 8));
      expect((await partitions()).filter((name) => name < LATER)).toEqual([
        'messages_default',
        ...days('2026-06-01', 8),
      ]);
      expect(await requestsLeft()).toEqual([]);
      expect(await sql(`SELECT id FROM reservations`)).toEqual([]);
    });

    it('sends made while partitions are attached are all accepted and stored', async () => {
      // 33 days ahead at once while 20 sends go in: each ATTACH shares the table with the sends' inserts.
      const ahead = new RetentionJob(db, clock, {
        retentionDays: 30,
        daysAhead: 40,
        lockTimeoutMs: 2000,
        batchSize: 5000,
      });
      const before = (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM messages`))[0]?.n ?? 0;
      const [report, ...answers] = await Promise.all([
        ahead.run(),
        ...Array.from({ length: 20 }, (_, i) =>
          t.http
            .post('/v1/messages')
            .set(p.auth)
            .send(
              sendBody({
                messages: [{ to: `010-5000-${String(i).padStart(4, '0')}` }, { to: '010-5000-9999' }],
              }),
            ),
        ),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 202));
      expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM messages`))[0]?.n).toBe(before + 40);
      expect(report.ran).toBe(true);
      // Whatever a lock timeout left is made on the next run.
      await ahead.run();
      expect((await partitions()).filter((name) => name < LATER)).toEqual([
        'messages_default',
        ...days('2026-06-01', 41),
      ]);
    });

    // PGlite runs one transaction at a time: a transaction held open elsewhere would stop every other query there.
    (process.env.DATABASE_URL ? it : it.skip)(
      'a step that would wait behind a long transaction gives up at its lock timeout; sends still go in',
      async () => {
        clock.set('2026-07-20T01:00:00Z');
        const reader = new Client({ connectionString: t.databaseUrl });
        await reader.connect();
        try {
          // A long report holding ACCESS SHARE on messages and every partition, as any open read does.
          await reader.query('BEGIN');
          await reader.query('SELECT count(*) FROM messages');
          const [blocked, sent] = await Promise.all([
            t.app.get(Retention).run(),
            t.http
              .post('/v1/messages')
              .set(p.auth)
              .send(sendBody({ messages: [{ to: '010-6000-0001' }] })),
          ]);
          expect(blocked).toMatchObject({ ran: true, dropped: [], lockTimeouts: 1 });
          expect(sent.status).toBe(202);
        } finally {
          await reader.query('ROLLBACK');
          await reader.end();
        }
        const next = await t.app.get(Retention).run();
        expect(next.lockTimeouts).toBe(0);
        // Jun 1 keeps the messages the sends above left queued (no dispatcher here).
        expect(next.dropped).toEqual(days('2026-06-02', 18));
        expect(next.keptOpen).toEqual(['messages_p20260601']);
        // The send at Jul 20 went to the DEFAULT (no partition for that day then), so the day stays there.
        expect(next.leftInDefault).toEqual(['messages_p20260720']);
      },
    );
  });
});
