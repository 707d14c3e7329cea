import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MessageQueue } from '../src/lifecycle/message-queue';
import { EVENTS_PER_STATEMENT } from '../src/webhooks/webhook-events';
import { bulkFields, numbersCsv, postBulk } from './bulk-support';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

const OWNER = 'outbox-test';

/**
 * The transactional outbox (lifecycle/transition-events.ts): a lifecycle statement's webhook events and metric
 * counts are written in its transaction. Driven through the lifecycle's own statements, with the delivery worker
 * off so the events stay in the table to be read.
 */
describe('the transactional outbox', () => {
  let t: TestApp;
  let p: SendingProject;
  let queue: MessageQueue;

  beforeAll(async () => {
    t = await startTestApp({
      env: { ...NO_DISPATCH, MUNJA_WEBHOOKS: 'false', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    p = await sendingProject(t, 'Outbox');
    await t.http
      .post('/v1/webhooks')
      .set(p.auth)
      .send({ url: 'http://127.0.0.1:9/hooks', eventTypes: ['message.status_changed'] })
      .expect(201);
    queue = new MessageQueue(t.app.get(DataSource));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Accepts one message and claims it (SENDING), as a dispatcher would. */
  const acceptAndClaim = async (to: string) => {
    const sent = await t.http
      .post('/v1/messages')
      .set(p.auth)
      .send(sendBody({ messages: [{ to }] }))
      .expect(202);
    const claimed = await queue.claim(
      OWNER,
      10,
      new Date(Date.now() + 60_000),
      new Date(Date.now() + 120_000),
      [],
    );
    expect(claimed.map((m) => m.requestId)).toEqual([sent.body.requestId]);
    return claimed[0]!;
  };
  const eventsOf = (messageId: string) =>
    query<{ state: string; data: Record<string, unknown> }>(
      t,
      `SELECT data->>'state' AS state, data FROM webhook_events
        WHERE project_id = $1 AND data->>'messageId' = $2 ORDER BY created_at, data->>'state' DESC`,
      [p.projectId, messageId],
    );
  const counted = async (metric: string, state: string) => {
    const [row] = await query<{ n: number }>(
      t,
      `SELECT COALESCE(sum(value), 0)::int AS n FROM metric_counters WHERE metric = $1 AND state = $2`,
      [metric, state],
    );
    return row!.n;
  };
  const stateOf = async (id: string) =>
    (await query<{ state: string }>(t, `SELECT state FROM messages WHERE id = $1`, [id]))[0]!.state;

  it('makes no event of a claim, and one of the vendor acceptance carrying the API view of the message', async () => {
    const sendingBefore = await counted('message_state', 'SENDING');
    const message = await acceptAndClaim('01020000001');
    // Accepted: an event; claimed (SENDING, bookkeeping): counted, but no event.
    expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);
    expect(await counted('message_state', 'SENDING')).toBe(sendingBefore + 1);

    const sent = { ...message, step: { kind: 'SENT', vendorMessageId: 'vendor-1' } as const };
    expect(await queue.record(OWNER, [sent], new Date())).toBe(1);
    const events = await eventsOf(message.id);
    expect(events.map((e) => e.state)).toEqual(['QUEUED', 'SENT']);
    // The payload is the API's view of the message (without text and files) plus the plugin.
    const { body: view } = await t.http.get(`/v1/messages/${message.id}`).set(p.auth).expect(200);
    const { subject, content, bytes, parts, encoding, files, ...standing } = view;
    void [subject, content, bytes, parts, encoding, files];
    expect(events[1]!.data).toEqual({ ...standing, pluginId: message.pluginId });
    expect(standing).toMatchObject({ status: 'PROCESSING', state: 'SENT' });
  });

  it('rolls the state change back when its event cannot be written, and commits both once it can', async () => {
    const message = await acceptAndClaim('01020000002');
    const sentBefore = await counted('message_state', 'SENT');
    await query(
      t,
      `ALTER TABLE webhook_events ADD CONSTRAINT test_refuse_sent CHECK (data->>'state' <> 'SENT') NOT VALID`,
    );
    const sent = { ...message, step: { kind: 'SENT', vendorMessageId: 'vendor-2' } as const };
    try {
      await expect(queue.record(OWNER, [sent], new Date())).rejects.toThrow(/test_refuse_sent/);
    } finally {
      await query(t, `ALTER TABLE webhook_events DROP CONSTRAINT test_refuse_sent`);
    }
    // Nothing of the change stayed: the message is still SENDING, not counted as SENT, no SENT event.
    expect(await stateOf(message.id)).toBe('SENDING');
    expect(await counted('message_state', 'SENT')).toBe(sentBefore);
    expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);

    expect(await queue.record(OWNER, [sent], new Date())).toBe(1);
    expect(await stateOf(message.id)).toBe('SENT');
    expect(await counted('message_state', 'SENT')).toBe(sentBefore + 1);
    expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED', 'SENT']);
  });

  it('makes no event when a claimed message goes back to the queue', async () => {
    const message = await acceptAndClaim('01020000003');
    const queuedBefore = await counted('message_state', 'QUEUED');
    expect(await queue.release(OWNER, [message], new Date())).toBe(1);
    expect(await stateOf(message.id)).toBe('QUEUED');
    expect(await counted('message_state', 'QUEUED')).toBe(queuedBefore + 1);
    expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);
  });

  it('announces every message of a bulk larger than one statement of events, each once', async () => {
    const recipients = EVENTS_PER_STATEMENT + 7;
    const sent = await postBulk(t, p, bulkFields(), numbersCsv(recipients)).expect(202);
    expect(sent.body.accepted).toBe(recipients);
    const [row] = await query<{ events: number; messages: number; deliveries: number }>(
      t,
      `SELECT count(*)::int AS events, count(DISTINCT data->>'messageId')::int AS messages,
              (SELECT count(*)::int FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                WHERE e.data->>'requestId' = $2) AS deliveries
         FROM webhook_events WHERE project_id = $1 AND data->>'requestId' = $2`,
      [p.projectId, sent.body.requestId],
    );
    expect(row).toEqual({ events: recipients, messages: recipients, deliveries: recipients });
  }, 120_000);

  it('leaves no trigger or trigger function behind on messages and reservations', async () => {
    const triggers = await query<{ tgname: string }>(
      t,
      `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
          AND tgrelid IN ('messages'::regclass, 'reservations'::regclass)`,
    );
    expect(triggers).toEqual([]);
    const functions = await query<{ proname: string }>(
      t,
      `SELECT proname FROM pg_proc WHERE proname LIKE 'munja\\_%'`,
    );
    expect(functions).toEqual([]);
  });
});
