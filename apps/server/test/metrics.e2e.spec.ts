import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { WebhookReceiver, waitFor } from './webhooks-receiver';

/** Sum of the samples of `name` whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) total += Number(match[3]);
  }
  return total;
}

const scrape = async (t: TestApp): Promise<string> => {
  const response = await t.http.get('/metrics').expect(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
};

const SMS_SENS = { plugin: 'sens', type: 'SMS' };

describe('/metrics as messages flow through the send path and the dispatcher', () => {
  let t: TestApp;
  let p: SendingProject;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({
      env: {
        MUNJA_REPORT_POLL_MS: '100',
        MUNJA_DISPATCH_SWEEP_MS: '100',
        MUNJA_DISPATCH_BACKOFF_MS: '0',
        MUNJA_DISPATCH_MAX_ATTEMPTS: '1',
        MUNJA_WEBHOOK_TICK_MS: '40',
        MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
    p = await sendingProject(t, 'Metrics');
    receiver = await new WebhookReceiver(() => 200).start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const completed = (requestId: string) =>
    waitFor(async () => {
      const { body } = await t.http
        .get(`/v1/requests/${requestId}`)
        .set(p.auth)
        .query({ size: 100 })
        .expect(200);
      const messages = body.messages as Array<{ status: string; statusName: string }>;
      return messages.length > 0 && messages.every((m) => m.status === 'COMPLETED') ? messages : undefined;
    }, 30_000);
  const send = async (body: Record<string, unknown>) =>
    (await t.http.post('/v1/messages').set(p.auth).send(sendBody(body)).expect(202)).body.requestId as string;

  it('is public, and lists every family before any traffic', async () => {
    const text = await scrape(t);
    for (const family of [
      'munja_messages_accepted_total',
      'munja_messages_sent_total',
      'munja_messages_delivered_total',
      'munja_messages_failed_total',
      'munja_dispatch_latency_seconds',
      'munja_queue_depth',
      'munja_webhook_attempts_total',
      'munja_webhook_deliveries_total',
      'munja_reservations_total',
      'munja_schedule_occurrences_total',
    ]) {
      expect(text).toContain(`# TYPE ${family} `);
    }
    expect(sample(text, 'munja_queue_depth')).toBe(0);
  });

  it('counts accepted, sent, delivered, failed, latency, reservations and webhook deliveries', async () => {
    const before = await scrape(t);
    await t.http
      .post('/v1/webhooks')
      .set(p.auth)
      .send({ url: receiver.url, eventTypes: ['*'] })
      .expect(201);
    const embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);

    const delivered = await send({ messages: [1, 2, 3].map((i) => ({ to: `010-3000-000${i}` })) });
    expect((await completed(delivered)).every((m) => m.statusName === 'success')).toBe(true);
    embedded.simulator.sens.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
    try {
      const failed = await send({ messages: [{ to: '010-3000-0004' }, { to: '010-3000-0005' }] });
      expect((await completed(failed)).every((m) => m.statusName === 'fail')).toBe(true);
    } finally {
      embedded.simulator.sens.setKnobs({ outcomes: { delivered: 1, failed: 0 } });
    }
    await send({ reserveTime: '2026-03-05 10:00', messages: [{ to: '010-3000-0006' }] });

    // Every event delivered to the receiver before reading the webhook counters.
    await waitFor(async () => {
      const { body } = await t.http.get('/v1/webhooks/deliveries').query({ status: 'PENDING' }).set(p.auth);
      return body.items.length === 0;
    });
    const after = await scrape(t);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);

    expect(delta('munja_messages_accepted_total', SMS_SENS)).toBe(6);
    expect(delta('munja_messages_sent_total', SMS_SENS)).toBe(5);
    expect(delta('munja_messages_delivered_total', SMS_SENS)).toBe(3);
    expect(delta('munja_messages_failed_total', { ...SMS_SENS, state: 'FAILED' })).toBe(2);
    expect(delta('munja_message_transitions_total', { ...SMS_SENS, state: 'SENDING' })).toBe(5);
    expect(delta('munja_dispatch_latency_seconds_count', SMS_SENS)).toBe(5);
    expect(delta('munja_dispatch_latency_seconds_bucket', { ...SMS_SENS, le: '+Inf' })).toBe(5);
    expect(delta('munja_reservations_total', { status: 'READY' })).toBe(1);
    expect(sample(after, 'munja_queue_depth')).toBe(0);

    const { body: log } = await t.http
      .get('/v1/webhooks/deliveries')
      .query({ limit: 100 })
      .set(p.auth)
      .expect(200);
    expect(log.items.length).toBeGreaterThanOrEqual(6 + 1);
    expect(delta('munja_webhook_deliveries_total', { result: 'delivered' })).toBe(log.items.length);
    expect(
      delta('munja_webhook_attempts_total', {
        event_type: 'reservation.status_changed',
        outcome: 'DELIVERED',
      }),
    ).toBe(1);
    expect(delta('munja_webhook_deliveries_total', { result: 'failed' })).toBe(0);
  });

  it('reports the same totals after the per-connection counter rows are folded together', async () => {
    const first = await scrape(t);
    const second = await scrape(t);
    for (const name of [
      'munja_messages_accepted_total',
      'munja_messages_sent_total',
      'munja_reservations_total',
    ]) {
      expect(sample(second, name)).toBe(sample(first, name));
    }
  });
});

describe('/metrics queue depth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gauges the QUEUED messages nobody has dispatched yet', async () => {
    const p = await sendingProject(t, 'Queue');
    await t.http
      .post('/v1/messages')
      .set(p.auth)
      .send(sendBody({ messages: [1, 2, 3, 4].map((i) => ({ to: `010-4000-000${i}` })) }))
      .expect(202);
    const text = await scrape(t);
    expect(sample(text, 'munja_queue_depth')).toBe(4);
    expect(sample(text, 'munja_messages_accepted_total', SMS_SENS)).toBe(4);
    expect(sample(text, 'munja_messages_sent_total')).toBe(0);
  });
});
