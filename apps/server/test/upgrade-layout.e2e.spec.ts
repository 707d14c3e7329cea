import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeliveryReport } from '@munja/provider-kit';
import { DataSource } from 'typeorm';
import { MessageLayout1765100000000 } from '../src/database/migrations/1765100000000-message-layout';
import { HotLifecycle1765100000100 } from '../src/database/migrations/1765100000100-hot-lifecycle';
import { ReportAudit1765300000000 } from '../src/database/migrations/1765300000000-report-audit';
import { PageRoom1765300000100 } from '../src/database/migrations/1765300000100-page-room';
import {
  LIFECYCLE_TAIL,
  MessageTail1765400000000,
} from '../src/database/migrations/1765400000000-message-tail';
import { AwaitingWalk1766000000002 } from '../src/database/migrations/1766000000002-awaiting-walk';
import { ReportVendorId1766000000003 } from '../src/database/migrations/1766000000003-report-vendor-id';
import { Dispatcher } from '../src/dispatch/dispatcher';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { ReportStore, reportVendorId } from '../src/reports/report-store';
import { ReportPolling } from '../src/reports/reports.module';
import { FAST_DISPATCH, query, waitFor } from './dispatch-support';
import { sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

/** The migrations of the new layout, newest first (rolled back in this order). */
const LAYOUT_MIGRATIONS = [
  new ReportVendorId1766000000003(),
  new AwaitingWalk1766000000002(),
  new MessageTail1765400000000(),
  new PageRoom1765300000100(),
  new ReportAudit1765300000000(),
  new HotLifecycle1765100000100(),
  new MessageLayout1765100000000(),
];

/** The kinds of rows a database of the previous layout holds mid-flight. */
const KINDS = ['queued', 'sending', 'sent', 'reserved', 'final'] as const;
type Kind = (typeof KINDS)[number];
/** A recipient per kind and row: 010 + kind digit + 7 digits. */
const recipient = (kind: Kind, i: number) => `010${KINDS.indexOf(kind) + 1}${String(i).padStart(7, '0')}`;

/**
 * A database of the layout before 1765100000000 (the layout's migrations rolled back on a fresh one) with thousands of
 * rows in every state a running service leaves: queued, SENDING under a dead worker's expired lease, SENT
 * awaiting a report, RESERVED for a due reservation, and final. The migration runs as at a start-up; then the
 * dispatcher and the reports finish the work: every message reaches COMPLETED, none is lost, the simulator
 * receives each one that was not yet at the vendor exactly once and none that was.
 */
describe('upgrading a database of the previous message layout in place', () => {
  let t: TestApp;
  let db: DataSource;
  let embedded: EmbeddedSimulator;
  const clock = new TestClock('2026-03-02T01:00:00Z');
  let perKind: number;
  let requestId: string;
  let total: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...FAST_DISPATCH, MUNJA_DISPATCH: 'false' } });
    db = t.app.get(DataSource);
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
    perKind = t.database === 'postgres' ? 800 : 400;
    const project = await sendingProject(t, 'Upgrade');
    auth = project.auth;
    // one real send gives the request (and a message row shaped by the send path) the others are copied from
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: recipient('queued', 0) }] }))
      .expect(202);
    requestId = accepted.body.requestId as string;

    // back to the previous layout, as the main before it created it
    const runner = db.createQueryRunner();
    try {
      for (const migration of LAYOUT_MIGRATIONS) {
        await migration.down(runner);
        await query(t, `DELETE FROM migrations WHERE name = $1`, [migration.name]);
      }
    } finally {
      await runner.release();
    }

    const now = clock.now();
    const [reservation] = await query<{ id: string }>(
      t,
      `INSERT INTO reservations (project_id, request_id, send_at, status, created_at, updated_at)
       VALUES ($1, $2, $3, 'READY', $3, $3) RETURNING id`,
      [project.projectId, requestId, new Date(now.getTime() - 60_000)],
    );
    // rows as the previous code wrote them, copied from the real one
    const copy = (kind: Kind, state: string, status: string, extra: string) =>
      query(
        t,
        `INSERT INTO messages (project_id, request_id, request_time, recipient_index, to_number, country_code,
           from_number, type, content_type, subject, content, bytes, parts, encoding, file_ids, status, state,
           due_at, route, route_index, updated_at, reservation_id, plugin_id, lease_owner, lease_expires_at,
           vendor_message_id, sent_at, status_name, status_code, complete_time)
         SELECT m.project_id, m.request_id, m.request_time, 1000 * $2::int + g, '010' || $2::text || lpad(g::text, 7, '0'),
           m.country_code, m.from_number, m.type, m.content_type, m.subject, m.content, m.bytes, m.parts,
           m.encoding, m.file_ids, $3, $4, m.due_at, m.route, 0, $5, ${extra}
           FROM messages m, generate_series(CASE WHEN $2::int = 1 THEN 1 ELSE 0 END, $6::int - 1) g
          WHERE m.request_id = $1 AND m.recipient_index = 0`,
        [requestId, KINDS.indexOf(kind) + 1, status, state, now, perKind],
      );
    const expired = `'${new Date(now.getTime() - 1000).toISOString()}'::timestamptz`;
    await copy('queued', 'QUEUED', 'READY', 'NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL');
    await copy(
      'sending',
      'SENDING',
      'PROCESSING',
      `NULL, 'sens', 'dead-worker', ${expired}, NULL, NULL, NULL, NULL, NULL`,
    );
    await copy('sent', 'SENT', 'PROCESSING', `NULL, 'sens', NULL, NULL, 'old-' || g, $5, NULL, NULL, NULL`);
    await copy(
      'reserved',
      'RESERVED',
      'READY',
      `'${reservation!.id}'::uuid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
    );
    await copy(
      'final',
      'DELIVERED',
      'COMPLETED',
      `NULL, 'sens', NULL, NULL, 'done-' || g, $5, 'success', '0', $5`,
    );
    const [count] = await query<{ n: number }>(t, `SELECT count(*)::int AS n FROM messages`);
    total = count!.n;
    // the report log as the previous code wrote it: every report with the vendor's id, matched or not
    await query(
      t,
      `INSERT INTO delivery_reports (plugin_id, vendor_message_id, status, vendor_code, telco, reported_at,
                                     received_at, source, message_id)
       SELECT 'sens', m.vendor_message_id, 'DELIVERED', '0', 'SKT', $1, $1, 'webhook', m.id
         FROM messages m WHERE m.to_number ~ '^0105'`,
      [now],
    );
    await query(
      t,
      `INSERT INTO delivery_reports (plugin_id, vendor_message_id, status, reported_at, received_at, source)
       VALUES ('sens', 'nobody-1', 'DELIVERED', $1, $1, 'webhook')`,
      [now],
    );

    // the start-up's migrations: the ones pending are the layout's
    await db.runMigrations({ transaction: 'each' });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const countOf = async (sql: string, params: unknown[] = []) =>
    (await query<{ n: number }>(t, sql, params))[0]!.n;

  it('carries the rows in flight into the queue and the awaiting table', async () => {
    expect(total).toBe(KINDS.length * perKind);
    expect(await countOf(`SELECT count(*)::int AS n FROM message_queue`)).toBe(2 * perKind);
    expect(
      await countOf(`SELECT count(*)::int AS n FROM message_queue WHERE lease_owner = 'dead-worker'`),
    ).toBe(perKind);
    expect(await countOf(`SELECT count(*)::int AS n FROM awaiting_reports`)).toBe(perKind);
    // the awaiting rows are walked and matched through their primary key alone (1766000000002)
    const indexes = await query<{ indexname: string }>(
      t,
      `SELECT indexname FROM pg_indexes WHERE tablename = 'awaiting_reports' ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['awaiting_reports_pkey']);
  });

  // the rows (here in the DEFAULT partition, in the parent's order) are dispatched and closed in the test below
  it('reads the report log of the previous layout as before: every row keeps its vendor id', async () => {
    const rows = await query<{ read: string; stored: string | null; message_vendor_id: string | null }>(
      t,
      `SELECT ${reportVendorId('d', 'm')} AS read, d.vendor_message_id AS stored, m.vendor_message_id AS message_vendor_id
         FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id ORDER BY d.id`,
    );
    expect(rows.length).toBe(perKind + 1);
    expect(rows.filter((r) => r.stored === null || r.read !== r.stored).length).toBe(0);
    expect(rows.filter((r) => r.message_vendor_id !== null && r.read !== r.message_vendor_id).length).toBe(0);
    expect(rows.at(-1)).toEqual({ read: 'nobody-1', stored: 'nobody-1', message_vendor_id: null });
    const [final] = await query<{ id: string }>(t, `SELECT id FROM messages WHERE to_number = $1`, [
      recipient('final', 3),
    ]);
    const timeline = await t.http.get(`/v1/messages/${final!.id}/reports`).set(auth).expect(200);
    expect(timeline.body.items).toEqual([
      expect.objectContaining({ pluginId: 'sens', status: 'DELIVERED', vendorCode: '0', telco: 'SKT' }),
    ]);
  });

  it('keeps the partitions holding rows in their column order and makes the empty days with the lifecycle columns last', async () => {
    const days = await query<{ name: string; rows: boolean; columns: string[] }>(
      t,
      `SELECT c.relname AS name, EXISTS (SELECT 1 FROM messages m WHERE m.tableoid = c.oid) AS rows,
              array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE i.inhparent = 'messages'::regclass
        GROUP BY c.oid, c.relname`,
    );
    const tailLast = (columns: string[]) =>
      columns.slice(-LIFECYCLE_TAIL.length).join() === LIFECYCLE_TAIL.join();
    expect(days.filter((d) => d.rows).map((d) => [d.name, tailLast(d.columns)])).toEqual(
      days.filter((d) => d.rows).map((d) => [d.name, false]),
    );
    expect(days.filter((d) => d.rows).length).toBeGreaterThan(0);
    expect(days.filter((d) => !d.rows).length).toBeGreaterThan(0);
    expect(days.filter((d) => !d.rows).every((d) => tailLast(d.columns))).toBe(true);
  });

  it('sends what was not at the vendor exactly once, closes what was by its report, loses nothing', async () => {
    const dispatcher = t.app.get(Dispatcher);
    dispatcher.start();
    try {
      // queued, SENDING under the dead lease, and the due reservation's messages reach the vendor (a message the
      // vendor took keeps its row QUEUED until its report, and has no queue row)
      await waitFor(
        async () =>
          (await countOf(
            `SELECT count(*)::int AS n FROM messages m
              WHERE m.state = 'RESERVED' OR EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id)`,
          )) === 0,
        120_000,
        50,
      );
      // the reports of the messages sent before the upgrade find them through the awaiting table
      const reports: DeliveryReport[] = Array.from({ length: perKind }, (_, i) => ({
        pluginId: 'sens',
        vendorMessageId: `old-${i}`,
        status: 'DELIVERED',
        telco: 'SKT',
        reportedAt: clock.now(),
        raw: null,
      }));
      const applied = await t.app.get(ReportStore).apply(reports, 'webhook', clock.now());
      expect(applied).toEqual({ stored: perKind, closed: perKind, unknown: 0 });
      // the rest by the simulator's reports, polled
      const polling = t.app.get(ReportPolling);
      await waitFor(
        async () => {
          await polling.pollNow();
          return (await countOf(`SELECT count(*)::int AS n FROM messages WHERE status <> 'COMPLETED'`)) === 0;
        },
        120_000,
        50,
      );
    } finally {
      await dispatcher.stop();
    }
    expect(await countOf(`SELECT count(*)::int AS n FROM messages`)).toBe(total);
    expect(await countOf(`SELECT count(*)::int AS n FROM message_queue`)).toBe(0);
    expect(await countOf(`SELECT count(*)::int AS n FROM awaiting_reports`)).toBe(0);
    expect(await countOf(`SELECT count(*)::int AS n FROM messages WHERE state <> 'DELIVERED'`)).toBe(0);
    // the vendor's id, the plugin and the send time are on every row that went to the vendor: the SENT rows of the
    // old layout had them, the others took them from their awaiting row with the final outcome
    expect(
      await countOf(
        `SELECT count(*)::int AS n FROM messages
          WHERE to_number ~ '^010[1234]' AND (vendor_message_id IS NULL OR sent_at IS NULL OR plugin_id <> 'sens')`,
      ),
    ).toBe(0);
    const received = (kind: Kind) =>
      Array.from({ length: perKind }, (_, i) => embedded.simulator.sens.received(recipient(kind, i)));
    for (const kind of ['queued', 'sending', 'reserved'] as const)
      expect([kind, received(kind).filter((n) => n !== 1).length]).toEqual([kind, 0]);
    for (const kind of ['sent', 'final'] as const)
      expect([kind, received(kind).filter((n) => n !== 0).length]).toEqual([kind, 0]);
    expect(dispatcher.stats.recovered).toBe(perKind);
    expect(dispatcher.stats.sent).toBe(3 * perKind);
    // the reports that closed the old SENT rows leave the vendor id to the message row (1766000000003)
    const closedByOld = await query<{ read: string; stored: string | null }>(
      t,
      `SELECT ${reportVendorId('d', 'm')} AS read, d.vendor_message_id AS stored
         FROM delivery_reports d JOIN messages m ON m.id = d.message_id WHERE m.to_number ~ '^0103' ORDER BY m.to_number`,
    );
    expect(closedByOld).toEqual(
      Array.from({ length: perKind }, (_, i) => ({ read: `old-${i}`, stored: null })),
    );
  }, 300_000);

  it('rolls the nullable vendor id back: every report takes the id of its message again', async () => {
    const migration = new ReportVendorId1766000000003();
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      const rows = await query<{ stored: string; message_vendor_id: string | null }>(
        t,
        `SELECT d.vendor_message_id AS stored, m.vendor_message_id AS message_vendor_id
           FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id`,
      );
      expect(rows.length).toBeGreaterThan(2 * perKind);
      expect(
        rows.filter((r) => r.message_vendor_id !== null && r.stored !== r.message_vendor_id).length,
      ).toBe(0);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });
});
