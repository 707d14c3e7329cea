import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each table one job (issue 15). `messages` stays the history: written at accept, then updated in place by the
 * lifecycle (SENDING, SENT, the final outcome). Those updates change no indexed column any more, so they are
 * HOT (no index entry, a short WAL record) once the partitions leave room on each page (fillfactor). The work
 * moves to two narrow tables:
 *
 * - `message_queue`: one row per message still to be sent, claimed with SKIP LOCKED in `visible_at` order; the
 *   lease is the visibility time (a claim pushes it to the lease end, so a dead worker's rows come back by
 *   themselves), deleted when the message leaves the queue (sent, failed, closed).
 * - `awaiting_reports`: one row per message the vendor took and has not reported on, keyed by (plugin, vendor
 *   id) — a report is matched by one primary-key probe — with the message's request_time, so closing it
 *   touches one partition of `messages`. Deleted when a report or the expiry closes the message.
 *
 * The indexes of `messages` whose key or predicate held a column that changes after accept (state, status,
 * plugin and vendor ids, sent_at) are dropped: their jobs are done by the two tables. Rows in flight when this
 * runs are carried over: QUEUED and SENDING rows get a queue row (a SENDING row keeps its lease end as its
 * visibility: it comes back when the lease expires, as before), SENT rows an awaiting row.
 */
export class MessageLayout1765100000000 implements MigrationInterface {
  name = 'MessageLayout1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_queue (
        message_id uuid PRIMARY KEY,
        request_time timestamptz NOT NULL,
        project_id uuid NOT NULL,
        plugin_id text NOT NULL,
        visible_at timestamptz NOT NULL,
        lease_owner text
      ) WITH (fillfactor = ${QUEUE_FILLFACTOR})`);
    // The claim: visible rows, oldest first.
    await q.query(`CREATE INDEX message_queue_visible ON message_queue (visible_at)`);
    await q.query(`
      CREATE TABLE awaiting_reports (
        plugin_id text NOT NULL,
        vendor_message_id text NOT NULL,
        vendor_request_id text,
        message_id uuid NOT NULL,
        request_time timestamptz NOT NULL,
        project_id uuid NOT NULL,
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (plugin_id, vendor_message_id)
      )`);
    // The report poller's walk through one plugin's awaited messages, oldest first (and the expiry's).
    await q.query(`CREATE INDEX awaiting_reports_walk ON awaiting_reports (plugin_id, sent_at, message_id)`);

    await q.query(`
      INSERT INTO message_queue (message_id, request_time, project_id, plugin_id, visible_at, lease_owner)
      SELECT id, request_time, project_id, COALESCE(route[route_index + 1], ''),
             CASE WHEN state = 'SENDING' THEN COALESCE(lease_expires_at, due_at) ELSE due_at END,
             CASE WHEN state = 'SENDING' THEN lease_owner END
        FROM messages WHERE state IN ('QUEUED', 'SENDING')`);
    await q.query(`
      INSERT INTO awaiting_reports (plugin_id, vendor_message_id, vendor_request_id, message_id, request_time,
                                    project_id, sent_at)
      SELECT plugin_id, vendor_message_id, vendor_request_id, id, request_time, project_id,
             COALESCE(sent_at, updated_at)
        FROM messages WHERE state = 'SENT' AND plugin_id IS NOT NULL AND vendor_message_id IS NOT NULL
      ON CONFLICT DO NOTHING`);

    for (const index of DROPPED_INDEXES) await q.query(`DROP INDEX IF EXISTS ${index}`);
    // The lease lives in the queue row now.
    await q.query(`ALTER TABLE messages DROP COLUMN lease_owner, DROP COLUMN lease_expires_at`);
    // Room on each page for the in-place updates to stay HOT (new pages only; the retention creates new days
    // with the same setting).
    for (const partition of await partitions(q))
      await q.query(`ALTER TABLE ${partition} SET (fillfactor = ${MESSAGES_FILLFACTOR})`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const partition of await partitions(q)) await q.query(`ALTER TABLE ${partition} RESET (fillfactor)`);
    // Leases live in the queue now: carry them back to the rows.
    await q.query(
      `ALTER TABLE messages ADD COLUMN lease_owner text, ADD COLUMN lease_expires_at timestamptz`,
    );
    await q.query(`
      UPDATE messages m SET lease_owner = q.lease_owner, lease_expires_at = q.visible_at
        FROM message_queue q
       WHERE m.id = q.message_id AND m.request_time = q.request_time AND m.state = 'SENDING'`);
    await q.query(`CREATE INDEX messages_claim ON messages (due_at) WHERE state = 'QUEUED'`);
    await q.query(`CREATE INDEX messages_lease ON messages (lease_expires_at) WHERE state = 'SENDING'`);
    await q.query(`CREATE INDEX messages_vendor ON messages (plugin_id, vendor_message_id)`);
    await q.query(`CREATE INDEX messages_awaiting_report ON messages (sent_at) WHERE state = 'SENT'`);
    await q.query(
      `CREATE INDEX messages_history_open ON messages (project_id, status, request_time DESC, id DESC)
       WHERE status <> 'COMPLETED'`,
    );
    await q.query(
      `CREATE INDEX messages_report_walk ON messages (plugin_id, sent_at, id) WHERE state = 'SENT'`,
    );
    await q.query(`DROP TABLE awaiting_reports`);
    await q.query(`DROP TABLE message_queue`);
  }
}

/** Free room per `messages` page for HOT updates: a row is updated 2–3 times after its insert. */
const MESSAGES_FILLFACTOR = 70;
/** The queue row is updated at each claim and retry. */
const QUEUE_FILLFACTOR = 70;

const DROPPED_INDEXES = [
  'messages_claim',
  'messages_lease',
  'messages_vendor',
  'messages_awaiting_report',
  'messages_history_open',
  'messages_report_walk',
];

async function partitions(q: QueryRunner): Promise<string[]> {
  const rows = (await q.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'messages'::regclass AND c.relkind = 'r'`,
  )) as { name: string }[];
  return rows.map((r) => r.name);
}
