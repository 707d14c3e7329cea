import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { RequestCheck1766000000011 } from '../src/database/migrations/1766000000011-request-check';
import { RequestCheckPlans1766000000033 } from '../src/database/migrations/1766000000033-request-check-plans';
import { query, unguardedMessagePartitions } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

/**
 * A message's send request, checked once per statement by triggers (migration 1766000000011) where the foreign
 * key `messages_request_id_fkey` checked each row: the same rules, on whichever database path the suite runs.
 */
describe(`the messages' send request (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let db: DataSource;
  let project: SendingProject;
  const clock = new TestClock('2026-03-02T01:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_DISPATCH });
    db = t.app.get(DataSource);
    project = await sendingProject(t, 'Request check');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A send of `count` recipients: its request id. */
  const send = async (count: number): Promise<string> => {
    const messages = Array.from({ length: count }, (_, i) => ({ to: `0107${String(i).padStart(7, '0')}` }));
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages }))
      .expect(202);
    return accepted.body.requestId as string;
  };
  const messagesOf = async (requestId: string): Promise<number> => {
    const [row] = await query<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM messages WHERE request_id = $1`,
      [requestId],
    );
    return row!.n;
  };
  /** Copies of a request's messages (new ids, recipient indexes past theirs) naming `requestIds` in turn. */
  const copies = (from: string, requestIds: string[]) => ({
    text: `INSERT INTO messages (id, project_id, request_id, request_time, recipient_index, to_number, country_code,
             from_number, type, content_type, content, status, state, due_at, route, updated_at)
           SELECT gen_random_uuid(), m.project_id, r.id, m.request_time, m.recipient_index + 100 * r.n, m.to_number,
                  m.country_code, m.from_number, m.type, m.content_type, m.content, m.status, m.state, m.due_at,
                  m.route, m.updated_at
             FROM messages m, unnest($2::uuid[]) WITH ORDINALITY AS r(id, n) WHERE m.request_id = $1`,
    params: [from, requestIds],
  });
  /** A table's sequential and index scans by the runner's open transaction so far. */
  const scansOf = async (runner: QueryRunner, table: string): Promise<{ seq: number; idx: number }> => {
    const [row] = await runner.query(
      `SELECT coalesce(sum(seq_scan), 0)::int AS seq, coalesce(sum(idx_scan), 0)::int AS idx
         FROM pg_stat_xact_user_tables WHERE relname = $1`,
      [table],
    );
    return row as { seq: number; idx: number };
  };
  const code = (error: unknown): unknown =>
    (error as { code?: unknown; driverError?: { code?: unknown } }).code ??
    (error as { driverError?: { code?: unknown } }).driverError?.code;

  it('refuses a statement whose messages name a send request that is not stored, all its rows', async () => {
    const requestId = await send(2);
    const missing = randomUUID();
    for (const named of [[missing], [requestId, missing]]) {
      const { text, params } = copies(requestId, named);
      const error = await db.query(text, params).catch((e: unknown) => e);
      expect(code(error)).toBe('23503');
      expect(String(error)).toContain('messages_request_id_fkey');
    }
    expect(await messagesOf(requestId)).toBe(2);
    expect(await messagesOf(missing)).toBe(0);
    // and takes one naming stored requests
    const { text, params } = copies(requestId, [requestId]);
    await db.query(text, params);
    expect(await messagesOf(requestId)).toBe(4);
  });

  it('refuses an insert naming a partition, which would pass the check by, and takes it through messages', async () => {
    const requestId = await send(1);
    const [placed] = await query<{ partition: string }>(
      t,
      `SELECT tableoid::regclass::text AS partition FROM messages WHERE request_id = $1`,
      [requestId],
    );
    const partition = placed!.partition;
    const { text, params } = copies(requestId, [randomUUID()]);
    for (const target of [partition, 'messages_default']) {
      const error = await db
        .query(text.replace('INSERT INTO messages ', `INSERT INTO ${target} `), params)
        .catch((e: unknown) => e);
      expect(code(error)).toBe('23000');
      expect(String(error)).toContain(`insert into "${target}" refused`);
    }
    expect(await messagesOf(requestId)).toBe(1);
    const through = copies(requestId, [requestId]);
    await db.query(through.text, through.params);
    expect(await messagesOf(requestId)).toBe(2);
  });

  it('guards every partition of messages', async () => {
    expect(await unguardedMessagePartitions(t)).toEqual([]);
    const [all] = await query<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'messages'::regclass`,
    );
    expect(all!.n).toBeGreaterThan(1);
  });

  it('deletes the messages of deleted send requests with them, and no others', async () => {
    const [gone, kept] = [await send(3), await send(2)];
    await query(t, `DELETE FROM send_requests WHERE id = $1`, [gone]);
    expect(await messagesOf(gone)).toBe(0);
    expect(await messagesOf(kept)).toBe(2);
  });

  it('looks each request up by its key, whatever the size of send_requests when the check was planned', async () => {
    const requestId = await send(1);
    const runner = db.createQueryRunner();
    /** Sequential scans of send_requests by one statement storing 40 messages of the request, just planned. */
    const scansOfOneStatement = async (): Promise<number> => {
      // fresh statistics of the (small) table: the connection's cached plans of it are made again
      await runner.query(`ANALYZE send_requests`);
      const before = await scansOf(runner, 'send_requests');
      const { text, params } = copies(requestId, Array<string>(40).fill(requestId));
      await runner.query(text, params);
      return (await scansOf(runner, 'send_requests')).seq - before.seq;
    };
    try {
      await runner.startTransaction();
      // the check as 1766000000011 made it: planned next to a small table, it reads the table whole
      await new RequestCheckPlans1766000000033().down(runner);
      expect(await scansOfOneStatement()).toBeGreaterThan(0);
      await new RequestCheckPlans1766000000033().up(runner);
      expect(await scansOfOneStatement()).toBe(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("deletes a deleted request's reservation through its index, not by reading every reservation", async () => {
    const runner = db.createQueryRunner();
    const scans = () => scansOf(runner, 'reservations');
    try {
      await runner.startTransaction();
      const requests: { id: string }[] = await runner.query(
        `INSERT INTO send_requests (project_id, request_time)
         SELECT $1, now() FROM generate_series(1, 2000) RETURNING id`,
        [project.projectId],
      );
      await runner.query(
        `INSERT INTO reservations (project_id, request_id, send_at, status, created_at, updated_at)
         SELECT $1, id, now(), 'READY', now(), now() FROM unnest($2::uuid[]) AS r(id)`,
        [project.projectId, requests.map((r) => r.id)],
      );
      await runner.query(`ANALYZE reservations`);
      const before = await scans();
      const gone = requests.slice(0, 3).map((r) => r.id);
      await runner.query(`DELETE FROM send_requests WHERE id = ANY($1::uuid[])`, [gone]);
      const after = await scans();
      expect(after.seq - before.seq).toBe(0);
      expect(after.idx - before.idx).toBeGreaterThanOrEqual(gone.length);
      const [left] = await runner.query(
        `SELECT count(*)::int AS n FROM reservations WHERE request_id = ANY($1::uuid[])`,
        [gone],
      );
      expect(left.n).toBe(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("refuses to move a message to another request, or to change a request's id", async () => {
    const [one, other] = [await send(1), await send(1)];
    const moved = await db
      .query(`UPDATE messages SET request_id = $2 WHERE request_id = $1`, [one, other])
      .catch((e: unknown) => e);
    expect(code(moved)).toBe('23503');
    const renamed = await db
      .query(`UPDATE send_requests SET id = $2 WHERE id = $1`, [one, randomUUID()])
      .catch((e: unknown) => e);
    expect(code(renamed)).toBe('23503');
    expect(await messagesOf(one)).toBe(1);
    // the other columns of either still change
    await query(t, `UPDATE messages SET updated_at = updated_at WHERE request_id = $1`, [one]);
    await query(t, `UPDATE send_requests SET accepted_count = accepted_count WHERE id = $1`, [one]);
  });

  it('a delete of a request waits for a transaction storing messages of it, then deletes those too', async () => {
    const requestId = await send(2);
    const inserting = db.createQueryRunner();
    const deleting = db.createQueryRunner();
    try {
      await inserting.startTransaction();
      const { text, params } = copies(requestId, [requestId]);
      await inserting.query(text, params);
      let deleted = false;
      // On PostgreSQL the delete waits for the inserting transaction's lock on the request; PGlite (one
      // session) runs it after that transaction ends. Either way it then sees the four messages and deletes them.
      const deletion = deleting.query(`DELETE FROM send_requests WHERE id = $1`, [requestId]).then(() => {
        deleted = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (t.database === 'postgres') expect(deleted).toBe(false);
      await inserting.commitTransaction();
      await deletion;
      expect(await messagesOf(requestId)).toBe(0);
    } finally {
      await inserting.release();
      await deleting.release();
    }
  });
  it('rolled back, the foreign key is back; migrated again, the triggers', async () => {
    const state = async () => {
      const [row] = await query<{ fkey: number; triggers: number }>(
        t,
        `SELECT (SELECT count(*)::int FROM pg_constraint
                  WHERE conname = 'messages_request_id_fkey' AND conrelid = 'messages'::regclass) AS fkey,
                (SELECT count(*)::int FROM pg_trigger
                  WHERE tgname IN ('messages_request_check', 'messages_request_kept', 'send_requests_cascade',
                                   'send_requests_id_kept', 'send_requests_truncate')) AS triggers`,
      );
      return row;
    };
    const migration = new RequestCheck1766000000011();
    const plans = new RequestCheckPlans1766000000033();
    const runner = db.createQueryRunner();
    try {
      await plans.down(runner);
      await migration.down(runner);
      expect(await state()).toEqual({ fkey: 1, triggers: 0 });
      await migration.up(runner);
      await plans.up(runner);
      // the row trigger on messages is cloned to each day partition
      expect((await state())?.fkey).toBe(0);
      expect((await state())?.triggers).toBeGreaterThan(5);
    } finally {
      await runner.release();
    }
  });

  it('truncating the requests truncates the messages', async () => {
    await send(1);
    await query(t, `TRUNCATE send_requests CASCADE`);
    expect((await query<{ n: number }>(t, `SELECT count(*)::int AS n FROM messages`))[0]?.n).toBe(0);
  });
});
