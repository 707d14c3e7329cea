import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Retention } from '../src/retention/retention.module';
import { partitionDay } from '../src/retention/partition-calendar';
import { RetentionJob, type RetentionReport } from '../src/retention/retention-job';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

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
    const expected = (await partitions()).filter((name) => name !== 'messages_default' && name < JUNE).sort();
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
