import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { RequestHistoryUnused1766000000030 } from '../src/database/migrations/1766000000030-request-history-unused';
import { DeliveriesAscending1766000000032 } from '../src/database/migrations/1766000000032-deliveries-ascending';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

/**
 * The indexes of `send_requests` are those a statement reads (migration 1766000000030 dropped the one none did),
 * and the statements that read them still use them: the Idempotency-Key replay, a request's progress. The
 * webhook delivery log's page indexes run in the order its rows come (1766000000032).
 */
describe(`send_requests' and webhook_deliveries' indexes (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let db: DataSource;
  const clock = new TestClock('2026-03-02T01:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_DISPATCH });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const indexes = async (): Promise<string[]> =>
    (
      await query<{ indexname: string }>(
        t,
        `SELECT indexname FROM pg_indexes WHERE tablename = 'send_requests' ORDER BY indexname`,
      )
    ).map((row) => row.indexname);

  it('keeps the primary key, the Idempotency-Key, the reservation and the age; rolled back, the history is back', async () => {
    const kept = [
      'send_requests_idempotency_key',
      'send_requests_pkey',
      'send_requests_request_time',
      'send_requests_reservation',
    ];
    expect(await indexes()).toEqual(kept);
    const migration = new RequestHistoryUnused1766000000030();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await indexes()).toEqual(['send_requests_history', ...kept]);
      await migration.up(runner);
      expect(await indexes()).toEqual(kept);
    } finally {
      await runner.release();
    }
  });

  it('still replays a send by its Idempotency-Key and answers its progress', async () => {
    const project = await sendingProject(t, 'Request indexes');
    const body = sendBody({ messages: [{ to: '01071234567' }] });
    const first = await t.http
      .post('/v1/messages')
      .set({ ...project.auth, 'Idempotency-Key': 'order-1' })
      .send(body)
      .expect(202);
    const again = await t.http
      .post('/v1/messages')
      .set({ ...project.auth, 'Idempotency-Key': 'order-1' })
      .send(body)
      .expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.requestId).toBe(first.body.requestId);
    const progress = await t.http
      .get(`/v1/requests/${first.body.requestId}/progress`)
      .set(project.auth)
      .expect(200);
    expect(progress.body).toMatchObject({ total: 1, accepted: 1 });
  });

  it("keeps the delivery log's page indexes ascending; rolled back, descending", async () => {
    const definitions = async () =>
      (
        await query<{ definition: string }>(
          t,
          `SELECT regexp_replace(indexdef, '^.* USING btree ', '') AS definition FROM pg_indexes
            WHERE indexname IN ('webhook_deliveries_endpoint', 'webhook_deliveries_project') ORDER BY indexname`,
        )
      ).map((row) => row.definition);
    const ascending = ['(endpoint_id, created_at, id)', '(project_id, created_at, id)'];
    expect(await definitions()).toEqual(ascending);
    const migration = new DeliveriesAscending1766000000032();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await definitions()).toEqual([
        '(endpoint_id, created_at DESC, id DESC)',
        '(project_id, created_at DESC, id DESC)',
      ]);
      await migration.up(runner);
      expect(await definitions()).toEqual(ascending);
    } finally {
      await runner.release();
    }
  });
});
