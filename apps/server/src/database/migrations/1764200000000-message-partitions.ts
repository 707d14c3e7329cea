import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `messages` becomes RANGE-partitioned on request_time, one partition per UTC day plus a DEFAULT partition
 * (so an insert never fails for want of a partition). Retention then drops whole days instead of deleting
 * millions of rows (src/retention). The primary key becomes (id, request_time) because a partitioned table's
 * unique keys must hold the partition key; id alone stays unique in practice (gen_random_uuid) and every
 * lookup by id alone still finds its row (one PK probe per partition).
 *
 * The indexes and triggers already on `messages` are carried over as they are defined at the time this runs
 * (read from the catalog), existing rows are copied, and the history search gets indexes for its filters.
 */
export class MessagePartitions1764200000000 implements MigrationInterface {
  name = 'MessagePartitions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await rebuildMessages(q, 'partitioned');
    // History search: each equality filter of GET /v1/messages gets an index ending in the page order, so a
    // filtered page reads only matching rows, newest first, from each day's partition.
    await q.query(
      `CREATE INDEX messages_history_to ON messages (project_id, to_number, request_time DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX messages_history_from ON messages (project_id, from_number, request_time DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX messages_history_type ON messages (project_id, type, request_time DESC, id DESC)`,
    );
    // Unfinished rows only (few at any time): the READY/PROCESSING filter, and the retention's check that a
    // day holds nothing still in flight before it drops the day.
    await q.query(
      `CREATE INDEX messages_history_open ON messages (project_id, status, request_time DESC, id DESC)
       WHERE status <> 'COMPLETED'`,
    );
    // The retention's batched purges, oldest first.
    await q.query(`CREATE INDEX send_requests_request_time ON send_requests (request_time)`);
    await q.query(`CREATE INDEX delivery_reports_received ON delivery_reports (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'delivery_reports_received',
      'send_requests_request_time',
      'messages_history_open',
      'messages_history_type',
      'messages_history_from',
      'messages_history_to',
    ]) {
      await q.query(`DROP INDEX ${index}`);
    }
    await rebuildMessages(q, 'plain');
  }
}

/** Days ahead of today that get their partition at once (the retention job keeps this many ready). */
const DAYS_AHEAD = 7;

/**
 * Recreates `messages` with the same columns, constraints, indexes and triggers, partitioned by day or plain,
 * and copies its rows. The triggers are created after the copy, so moving rows emits no events or metrics.
 */
async function rebuildMessages(q: QueryRunner, shape: 'partitioned' | 'plain'): Promise<void> {
  const triggers = (await q.query(
    `SELECT tgname AS name, pg_get_triggerdef(oid) AS definition FROM pg_trigger
     WHERE tgrelid = 'messages'::regclass AND NOT tgisinternal ORDER BY tgname`,
  )) as { name: string; definition: string }[];
  const indexes = (await q.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'messages'::regclass AND NOT x.indisprimary ORDER BY i.relname`,
  )) as { name: string; definition: string }[];
  for (const trigger of triggers) await q.query(`DROP TRIGGER ${trigger.name} ON messages`);
  for (const index of indexes) await q.query(`DROP INDEX ${index.name}`);
  await q.query(`ALTER TABLE messages RENAME TO messages_old`);
  await q.query(`ALTER TABLE messages_old RENAME CONSTRAINT messages_pkey TO messages_old_pkey`);

  const key = shape === 'partitioned' ? 'id, request_time' : 'id';
  await q.query(`
    CREATE TABLE messages (
      LIKE messages_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
      CONSTRAINT messages_pkey PRIMARY KEY (${key}),
      CONSTRAINT messages_request_id_fkey FOREIGN KEY (request_id) REFERENCES send_requests(id) ON DELETE CASCADE
    )${shape === 'partitioned' ? ' PARTITION BY RANGE (request_time)' : ''}`);
  if (shape === 'partitioned') {
    await q.query(`CREATE TABLE messages_default PARTITION OF messages DEFAULT`);
    // A partition for every day that has rows, and for today and the days just ahead.
    const days = (await q.query(
      `SELECT to_char(day, 'YYYYMMDD') AS name, munja_iso(day) AS start, munja_iso(day + interval '1 day') AS "end"
       FROM (SELECT date_trunc('day', request_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day FROM messages_old
             UNION
             SELECT (date_trunc('day', now() AT TIME ZONE 'UTC') + make_interval(days => n)) AT TIME ZONE 'UTC'
             FROM generate_series(0, ${DAYS_AHEAD}) n) d
       ORDER BY day`,
    )) as { name: string; start: string; end: string }[];
    for (const day of days) {
      await q.query(
        `CREATE TABLE messages_p${day.name} PARTITION OF messages FOR VALUES FROM ('${day.start}') TO ('${day.end}')`,
      );
    }
  }
  await q.query(`INSERT INTO messages SELECT * FROM messages_old`);
  await q.query(`DROP TABLE messages_old`);
  for (const index of indexes) await q.query(index.definition);
  for (const trigger of triggers) await q.query(trigger.definition);
}
