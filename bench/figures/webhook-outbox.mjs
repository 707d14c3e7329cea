// What the webhook outbox and the metric counts cost the message lifecycle, in WAL bytes per message: MESSAGES
// messages go accepted (requests of 1,000) → claimed → SENT → DELIVERED through the service's own lifecycle
// functions (apps/server/dist/lifecycle), 500 per statement as the dispatcher does, in a scratch database, twice:
// with no webhook endpoint, and with one endpoint subscribed to every event. PostgreSQL only.
//
// The WAL is read with pg_walinspect and counted for the scratch database alone (records touching its blocks,
// and the commit records of their transactions), so other databases on a shared server do not add to it; the
// server-wide pg_current_wal_lsn() difference is printed beside it. The figure leaves out full-page images (the
// first change of a page after a checkpoint copies the page): they depend on when the server's checkpoints fall,
// and are printed beside it.
//
//   pnpm --filter @munja/server build
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/figures/webhook-outbox.mjs
// MESSAGES (default 10,000, a multiple of 1,000); MUNJA_SERVER_DIST: another build of the server to compare
// (a build from before the outbox relies on its triggers for the events and counts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { note, printFigure } from '../figure.mjs';
import { createScratchDatabase } from '../scratch-database.mjs';
import { pg, root } from '../workspace.mjs';

const PER_REQUEST = 1000;
const BATCH = 500;

function serverModules() {
  const dist = process.env.MUNJA_SERVER_DIST ?? join(root, 'apps', 'server', 'dist');
  const require = createRequire(join(root, 'apps', 'server', 'package.json'));
  const load = (path) => require(join(dist, path));
  const accepted = load('lifecycle/accepted-messages.js');
  return {
    DataSource: require('typeorm').DataSource,
    MIGRATIONS: load('database/migrations/index.js').MIGRATIONS,
    MESSAGE_COLUMNS: load('messages/send-plan.js').MESSAGE_COLUMNS,
    MessageQueue: load('lifecycle/message-queue.js').MessageQueue,
    closeByReports: load('lifecycle/report-close.js').closeByReports,
    accepted,
    MetricTally: existsSync(join(dist, 'metrics/metric-counts.js'))
      ? load('metrics/metric-counts.js').MetricTally
      : undefined,
  };
}

/** Accepts `count` messages of one request in one transaction, as the bulk and schedule paths do. */
async function accept(m, db, projectId, now, offset, count) {
  const [request] = await db.query(
    `INSERT INTO send_requests (project_id, request_time, content) VALUES ($1, $2, 'bench') RETURNING id`,
    [projectId, now],
  );
  const values = {
    project_id: projectId,
    request_id: request.id,
    request_time: now,
    country_code: '82',
    from_number: '0212345678',
    type: 'SMS',
    content_type: 'COMM',
    content: 'webhook outbox bench',
    bytes: 20,
    parts: 1,
    file_ids: [],
    status: 'READY',
    state: 'QUEUED',
    due_at: now,
    route: ['sens'],
    updated_at: now,
  };
  const cell = (name, i) =>
    name === 'recipient_index'
      ? i
      : name === 'to_number'
        ? `010${String(offset + i).padStart(8, '0')}`
        : (values[name] ?? null);
  // A build whose MESSAGE_COLUMNS name an AcceptedMessage field takes named rows; an older one positional rows.
  const named = m.MESSAGE_COLUMNS.every((c) => c.field !== undefined);
  const rows = Array.from({ length: count }, (_, i) =>
    named
      ? Object.fromEntries(m.MESSAGE_COLUMNS.map((c) => [c.field, cell(c.name, i)]))
      : m.MESSAGE_COLUMNS.map((c) => cell(c.name, i)),
  );
  await db.transaction(async (manager) => {
    if (named) await m.accepted.insertAcceptedMessages(manager, rows);
    else await m.accepted.insertAcceptedMessages(manager, m.MESSAGE_COLUMNS, rows);
    if (m.accepted.recordAcceptedMessages) {
      const tally = new m.MetricTally();
      m.accepted.tallyAccepted(tally, rows);
      await m.accepted.recordAcceptedMessages(manager, tally, [
        { projectId, requestId: request.id, requestTime: now },
      ]);
    }
  });
}

async function walOfDatabase(client, from, to) {
  const query = async (text, params) => (await client.query(text, params)).rows;
  const [{ oid }] = await query(`SELECT oid FROM pg_database WHERE datname = current_database()`);
  const [row] = await query(
    `WITH r AS (SELECT * FROM pg_get_wal_records_info($1, $2)),
          mine AS (SELECT DISTINCT xid FROM r WHERE block_ref LIKE $3 AND xid <> '0')
     SELECT COALESCE(sum(record_length), 0)::bigint AS bytes, COALESCE(sum(fpi_length), 0)::bigint AS fpi
       FROM r WHERE block_ref LIKE $3 OR (resource_manager = 'Transaction' AND xid IN (SELECT xid FROM mine))`,
    [from, to, `%/${oid}/%`],
  );
  const relations = await query(
    `WITH r AS (SELECT (regexp_match(block_ref, 'rel \\d+/' || $3 || '/(\\d+)'))[1]::oid AS node, record_length
                  FROM pg_get_wal_records_info($1, $2))
     SELECT COALESCE(c.relname, r.node::text) AS relation, sum(r.record_length)::bigint AS bytes
       FROM r LEFT JOIN pg_class c ON c.relfilenode = r.node
      WHERE r.node IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 8`,
    [from, to, String(oid)],
  );
  return { bytes: Number(row.bytes), fpi: Number(row.fpi), relations };
}

async function runVariant(m, url, variant, messages) {
  const db = new m.DataSource({ type: 'postgres', url, migrations: m.MIGRATIONS, migrationsRun: true });
  await db.initialize();
  const cleanups = [];
  try {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_walinspect`);
    const [project] = await db.query(
      `INSERT INTO projects (name, created_at) VALUES ('bench', now()) RETURNING id`,
    );
    if (variant === 'one endpoint')
      await db.query(
        `INSERT INTO webhook_endpoints (project_id, url, secret, event_types, status, created_at, updated_at)
         VALUES ($1, 'http://127.0.0.1:9/bench', 'whsec_bench_outbox', '{*}', 'ENABLED', now(), now())`,
        [project.id],
      );
    const now = new Date();
    // A temporary slot keeps the server from recycling the WAL of the run before it is read (dropped with `wal`).
    const walReader = new pg.Client({ connectionString: url });
    await walReader.connect();
    cleanups.push(() => walReader.end());
    await walReader.query(`SELECT pg_create_physical_replication_slot($1, true, true)`, [
      `munja_outbox_bench_${process.pid}`,
    ]);
    const {
      rows: [{ lsn: from }],
    } = await walReader.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
    const started = performance.now();
    for (let offset = 0; offset < messages; offset += PER_REQUEST)
      await accept(m, db, project.id, now, offset, Math.min(PER_REQUEST, messages - offset));
    const accepted = performance.now();
    const queue = new m.MessageQueue(db);
    const lease = new Date(now.getTime() + 600_000);
    let vendorId = 0;
    const sent = [];
    for (;;) {
      const claimed = await queue.claim('bench', BATCH, new Date(now.getTime() + 1000), lease, []);
      if (claimed.length === 0) break;
      const steps = claimed.map((c) => ({
        id: c.id,
        requestTime: c.requestTime,
        pluginId: c.pluginId,
        step: { kind: 'SENT', vendorMessageId: `v${(vendorId += 1)}` },
      }));
      await queue.record('bench', steps, new Date(now.getTime() + 2000));
      sent.push(...steps);
    }
    const dispatched = performance.now();
    for (let i = 0; i < sent.length; i += BATCH) {
      const closing = sent.slice(i, i + BATCH).map((s) => ({
        message: { id: s.id, requestTime: s.requestTime },
        state: 'DELIVERED',
        code: '0',
        text: 'delivered',
        telco: 'SKT',
        completedAt: new Date(now.getTime() + 3000),
        vendorMessageId: s.step.vendorMessageId,
      }));
      await db.transaction((manager) => m.closeByReports(manager, closing, new Date(now.getTime() + 3000)));
    }
    const closed = performance.now();
    const seconds = (closed - started) / 1000;
    const [{ lsn: to }] = await db.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
    const [{ bytes: serverWal }] = await db.query(`SELECT pg_wal_lsn_diff($1, $2)::bigint AS bytes`, [
      to,
      from,
    ]);
    const wal = await walOfDatabase(walReader, from, to);
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM messages WHERE state = 'DELIVERED')::int AS delivered,
              (SELECT count(*) FROM webhook_events)::int AS events,
              (SELECT count(*) FROM webhook_deliveries)::int AS deliveries`,
    );
    if (counts.delivered !== messages) throw new Error(`${counts.delivered} of ${messages} DELIVERED`);
    return {
      figure: variant === 'one endpoint' ? 'wal_per_message_webhook' : 'wal_per_message_lifecycle',
      value: Math.round((wal.bytes - wal.fpi) / messages),
      unit: 'bytes',
      variant,
      messages,
      withFullPageImagesPerMessage: Math.round(wal.bytes / messages),
      serverWalPerMessage: Math.round(Number(serverWal) / messages),
      events: counts.events,
      deliveries: counts.deliveries,
      microsecondsPerMessage: Math.round((seconds * 1e6) / messages),
      phasesMs: {
        accept: Math.round(accepted - started),
        claimAndSent: Math.round(dispatched - accepted),
        close: Math.round(closed - dispatched),
      },
      topRelations: Object.fromEntries(wal.relations.map((r) => [r.relation, Number(r.bytes)])),
      path: 'accept (1,000 a request) → claim → SENT → DELIVERED, 500 a statement, lifecycle functions in-process',
      measuredBy:
        'pg_walinspect records of this database and their commits, without full-page images (those depend on when checkpoints fall)',
    };
  } finally {
    for (const cleanup of cleanups) await cleanup();
    await db.destroy();
  }
}

/** Both variants, each in a fresh database; one figure line each. */
export async function webhookOutboxFigures(postgresUrl, messages = 10_000) {
  const m = serverModules();
  const lines = [];
  for (const variant of ['no endpoint', 'one endpoint']) {
    note(`webhook outbox: ${messages} messages, ${variant}`);
    const scratch = await createScratchDatabase(postgresUrl);
    try {
      lines.push(await runVariant(m, scratch.url, variant, messages));
    } finally {
      await scratch.drop();
    }
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a PostgreSQL server');
  for (const line of await webhookOutboxFigures(url, Number(process.env.MESSAGES ?? 10_000)))
    printFigure(line);
}
