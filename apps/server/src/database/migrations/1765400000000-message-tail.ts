import { MigrationInterface, QueryRunner } from 'typeorm';
import { MESSAGE_FILLFACTOR } from './1765300000100-page-room';

/**
 * The columns the lifecycle writes after accept, in the order a day partition of `messages` keeps them: last,
 * after every column written once at accept. PostgreSQL logs an in-place (HOT) update as the new row minus the
 * bytes it shares with the old one at its start and at its end; `updated_at` changes in every update, so only
 * the start is shared, up to the first changed column. In the parent's order that was `status` (column 17):
 * every update logged `due_at`, the route, its index, the attempts, the plugin and the vendor id again (~45 B
 * of the SENT update, ~90 B of the final one). In this order the SENT update shares everything before
 * `plugin_id`, the final one everything before `state`.
 */
export const LIFECYCLE_TAIL = [
  'plugin_id',
  'vendor_message_id',
  'sent_at',
  'state',
  'status',
  'status_name',
  'status_code',
  'status_message',
  'telco_code',
  'complete_time',
  'updated_at',
] as const;

/**
 * Creates the day partition `name` of `messages` for [start, end) with the lifecycle's columns last
 * (LIFECYCLE_TAIL) and room on each page for its updates, and attaches it (SHARE UPDATE EXCLUSIVE on `messages`;
 * the partitioned indexes give it its indexes). A partition's columns may lie in another order than its
 * parent's: rows routed to it are mapped by name. The tail's definitions (type, NOT NULL, default, CHECK
 * constraints with their names, which ATTACH matches) are read from the parent, so a later migration that
 * changes one is followed.
 */
export async function createMessageDay(
  q: Pick<QueryRunner, 'query'>,
  name: string,
  start: string,
  end: string,
): Promise<void> {
  const columns = (await q.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS "default"
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = 'messages'::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND a.attname = ANY($1::text[])`,
    [LIFECYCLE_TAIL],
  )) as { name: string; type: string; not_null: boolean; default: string | null }[];
  const checks = (await q.query(
    `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
      WHERE c.conrelid = 'messages'::regclass AND c.contype = 'c'
        AND EXISTS (SELECT 1 FROM pg_attribute a
                     WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) AND a.attname = ANY($1::text[]))
      ORDER BY c.conname`,
    [LIFECYCLE_TAIL],
  )) as { name: string; definition: string }[];
  const tail = LIFECYCLE_TAIL.flatMap((column) => columns.filter((c) => c.name === column));
  await q.query(
    `CREATE TABLE ${name} (LIKE messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
     WITH (fillfactor = ${MESSAGE_FILLFACTOR})`,
  );
  // dropped and added again at the end (the table is empty: a dropped column costs no byte of a row)
  await q.query(`ALTER TABLE ${name} ${tail.map((c) => `DROP COLUMN ${c.name}`).join(', ')}`);
  await q.query(
    `ALTER TABLE ${name} ${tail
      .map(
        (c) =>
          `ADD COLUMN ${c.name} ${c.type}${c.default === null ? '' : ` DEFAULT ${c.default}`}${c.not_null ? ' NOT NULL' : ''}`,
      )
      .join(', ')}`,
  );
  for (const check of checks)
    await q.query(`ALTER TABLE ${name} ADD CONSTRAINT ${check.name} ${check.definition}`);
  await q.query(`ALTER TABLE messages ATTACH PARTITION ${name} FOR VALUES FROM ('${start}') TO ('${end}')`);
}

/**
 * The day partitions that hold no row yet (today's on a fresh database, the days ahead the retention job made)
 * are made again with the lifecycle's columns last (createMessageDay); a day with rows keeps its layout. New
 * days (`retention-job.ts`) are made that way from now on. Rows are routed to either layout by name, so days of
 * both shapes serve side by side. `down` makes the empty days again in the parent's order.
 */
export class MessageTail1765400000000 implements MigrationInterface {
  name = 'MessageTail1765400000000';

  async up(q: QueryRunner): Promise<void> {
    for (const day of await emptyDays(q)) {
      await q.query(`ALTER TABLE messages DETACH PARTITION ${day.name}`);
      await q.query(`DROP TABLE ${day.name}`);
      await createMessageDay(q, day.name, day.start, day.end);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const day of await emptyDays(q)) {
      await q.query(`ALTER TABLE messages DETACH PARTITION ${day.name}`);
      await q.query(`DROP TABLE ${day.name}`);
      await q.query(
        `CREATE TABLE ${day.name} (LIKE messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
         WITH (fillfactor = ${MESSAGE_FILLFACTOR})`,
      );
      await q.query(
        `ALTER TABLE messages ATTACH PARTITION ${day.name} FOR VALUES FROM ('${day.start}') TO ('${day.end}')`,
      );
    }
  }
}

/** The day partitions of `messages` (not the DEFAULT) that hold no row, with their ranges. */
async function emptyDays(q: QueryRunner): Promise<{ name: string; start: string; end: string }[]> {
  const days = (await q.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'messages'::regclass AND c.relkind = 'r'
      ORDER BY c.relname`,
  )) as { name: string; bound: string }[];
  const empty: { name: string; start: string; end: string }[] = [];
  for (const day of days) {
    const range = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(day.bound);
    if (!range) continue; // the DEFAULT
    const [row] = (await q.query(`SELECT NOT EXISTS (SELECT 1 FROM ${day.name}) AS empty`)) as {
      empty: boolean;
    }[];
    if (row?.empty) empty.push({ name: day.name, start: range[1]!, end: range[2]! });
  }
  return empty;
}
