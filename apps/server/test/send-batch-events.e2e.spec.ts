import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

/**
 * The send writer's one statement (messages/send-writer.ts) stores the sends of projects without a subscribed
 * webhook endpoint and names the projects that have one; those sends are stored again with their events in a
 * transaction. Sends of both kinds, sent together so they share statements: each is stored once, and only the
 * subscribed project's messages have events.
 */
describe('single sends of projects with and without a webhook endpoint, stored together', () => {
  let t: TestApp;
  let subscribed: SendingProject;
  let plain: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({
      env: { ...NO_DISPATCH, MUNJA_WEBHOOKS: 'false', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    subscribed = await sendingProject(t, 'Subscribed');
    plain = await sendingProject(t, 'Plain');
    await t.http
      .post('/v1/webhooks')
      .set(subscribed.auth)
      .send({ url: 'http://127.0.0.1:9/hooks', eventTypes: ['message.status_changed'] })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores every send once and writes the accepted events of the subscribed project only', async () => {
    const each = 40;
    const sent = await Promise.all(
      Array.from({ length: each * 2 }, (_, i) => {
        const p = i % 2 === 0 ? subscribed : plain;
        const to = `0103${String(i).padStart(7, '0')}`;
        return t.http
          .post('/v1/messages')
          .set(p.auth)
          .send(sendBody({ messages: [{ to }] }))
          .expect(202)
          .then((r) => ({ project: p.projectId, requestId: r.body.requestId as string }));
      }),
    );
    const rows = await query<{ project_id: string; requests: number; messages: number; events: number }>(
      t,
      `SELECT r.project_id, count(DISTINCT r.id)::int AS requests, count(DISTINCT m.id)::int AS messages,
              count(e.id)::int AS events
         FROM send_requests r
         JOIN messages m ON m.request_id = r.id
         LEFT JOIN webhook_events e ON e.data->>'messageId' = m.id::text
        WHERE r.id = ANY($1::uuid[])
        GROUP BY r.project_id`,
      [sent.map((s) => s.requestId)],
    );
    const by = new Map(rows.map((r) => [r.project_id, r]));
    expect(by.get(subscribed.projectId)).toEqual({
      project_id: subscribed.projectId,
      requests: each,
      messages: each,
      events: each,
    });
    expect(by.get(plain.projectId)).toEqual({
      project_id: plain.projectId,
      requests: each,
      messages: each,
      events: 0,
    });
    // each accepted message queued once, for the dispatcher
    const [queued] = await query<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM message_queue q JOIN messages m ON m.id = q.message_id
        WHERE m.request_id = ANY($1::uuid[])`,
      [sent.map((s) => s.requestId)],
    );
    expect(queued!.n).toBe(each * 2);
  });
});
