import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { DeliveryStore } from '../src/webhooks/delivery-store';
import { DeliveryWorker } from '../src/webhooks/delivery-worker';
import { WebhookDelivery } from '../src/webhooks/webhooks.module';
import { NO_DISPATCH, sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { WebhookReceiver, waitFor } from './webhooks-receiver';

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
