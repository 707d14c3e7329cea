// What the database wrote over a phase of the run: WAL bytes (pg_current_wal_lsn(): the whole server, so
// writes of other databases on a shared server count too) and index entries written, derived per relation
// from pg_stat_all_tables: every inserted row and every update that was not HOT adds one entry to each index
// of its relation (PostgreSQL 15 counts no index inserts itself). Partial-index predicates are not evaluated,
// so that count is an upper bound when a table has partial indexes; where pg_walinspect can read this
// database's WAL, the figure is the exact count of index entries written instead (indexEntriesOfThisDatabase).
// PostgreSQL only: PGlite has no WAL to read.
import { setTimeout as sleep } from 'node:timers/promises';
import { pg } from './workspace.mjs';

const SNAPSHOT = `
  SELECT pg_current_wal_lsn()::text AS lsn,
         COALESCE(sum((t.n_tup_ins + t.n_tup_upd - t.n_tup_hot_upd) * i.indexes), 0)::bigint AS index_writes,
         COALESCE(sum(t.n_tup_ins), 0)::bigint AS inserts,
         COALESCE(sum(t.n_tup_upd), 0)::bigint AS updates,
         COALESCE(sum(t.n_tup_hot_upd), 0)::bigint AS hot_updates,
         COALESCE(sum(t.n_tup_del), 0)::bigint AS deletes
    FROM pg_stat_all_tables t
    JOIN (SELECT indrelid, count(*) AS indexes FROM pg_index GROUP BY indrelid) i ON i.indrelid = t.relid
   WHERE t.schemaname = 'public'`;

/** The same counters per table (partitions folded into their parent), for the breakdown. */
const PER_TABLE = `
  SELECT COALESCE(parent.relname, t.relname) AS relation,
         sum((t.n_tup_ins + t.n_tup_upd - t.n_tup_hot_upd) * i.indexes)::bigint AS index_writes,
         sum(t.n_tup_ins)::bigint AS inserts, sum(t.n_tup_upd)::bigint AS updates,
         sum(t.n_tup_hot_upd)::bigint AS hot_updates, sum(t.n_tup_del)::bigint AS deletes
    FROM pg_stat_all_tables t
    JOIN (SELECT indrelid, count(*) AS indexes FROM pg_index GROUP BY indrelid) i ON i.indrelid = t.relid
    LEFT JOIN pg_inherits h ON h.inhrelid = t.relid
    LEFT JOIN pg_class parent ON parent.oid = h.inhparent
   WHERE t.schemaname = 'public'
   GROUP BY 1`;

async function snapshot(client) {
  // counters reach the shared statistics up to a second after a transaction ends (PostgreSQL 15)
  await sleep(1500);
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(SNAPSHOT);
  const [row] = rows;
  const { rows: tables } = await client.query(PER_TABLE);
  return {
    tables: new Map(tables.map((t) => [t.relation, t])),
    lsn: row.lsn,
    indexWrites: Number(row.index_writes),
    inserts: Number(row.inserts),
    updates: Number(row.updates),
    hotUpdates: Number(row.hot_updates),
    deletes: Number(row.deletes),
  };
}

/**
 * The WAL of this database alone between two positions, read back with pg_walinspect (PostgreSQL 15+, a
 * superuser): the records touching one of its blocks, and the other records (commits) of the same
 * transactions. Other databases on a shared server then no longer count. Undefined when the extension or the
 * WAL is not there (it may have been recycled after a checkpoint).
 */
async function walOfThisDatabase(client, from, to) {
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    const { rows } = await client.query(
      `WITH r AS (
         SELECT xid::text::bigint AS xid, record_length, fpi_length, block_ref FROM pg_get_wal_records_info($1, $2)
       ), mine AS (
         SELECT DISTINCT xid FROM r
          WHERE xid <> 0 AND block_ref LIKE '%/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/%'
       )
       SELECT COALESCE(sum(record_length), 0)::bigint AS bytes, COALESCE(sum(fpi_length), 0)::bigint AS fpi
         FROM r
        WHERE block_ref LIKE '%/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/%'
           OR xid IN (SELECT xid FROM mine)`,
      [from, to],
    );
    // where it goes: by the relation of each record's first block (partitions and their indexes by name)
    const { rows: byRelation } = await client.query(
      `WITH r AS (
         SELECT xid::text::bigint AS xid, record_length,
                substring(block_ref from 'rel [0-9]+/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/([0-9]+)')::oid AS node
           FROM pg_get_wal_records_info($1, $2)
       ), mine AS (SELECT DISTINCT xid FROM r WHERE node IS NOT NULL AND xid <> 0)
       SELECT COALESCE(c.relname, CASE WHEN r.node IS NULL THEN '(no block: commits)' ELSE '(other)' END) AS relation,
              sum(r.record_length)::bigint AS bytes
         FROM r LEFT JOIN pg_class c ON c.relfilenode = r.node
        WHERE r.node IS NOT NULL OR r.xid IN (SELECT xid FROM mine)
        GROUP BY 1 ORDER BY 2 DESC LIMIT 12`,
      [from, to],
    );
    return { bytes: Number(rows[0].bytes), fpi: Number(rows[0].fpi), byRelation };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Index entries this database wrote between two positions, counted exactly from its WAL (pg_walinspect): one
 * B-tree record per entry added to a leaf (INSERT_LEAF, INSERT_POST, or the split that made room for it; not
 * the downlinks of a split), and every BRIN summary change (INSERT, UPDATE, SAMEPAGE_UPDATE), by the table
 * the index belongs to (partitions folded into their parent). Partial indexes count only the rows they took.
 * Undefined when the extension or the WAL is not there.
 */
async function indexEntriesOfThisDatabase(client, from, to) {
  try {
    const { rows } = await client.query(
      `WITH r AS (
         SELECT substring(block_ref from 'rel [0-9]+/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/([0-9]+)')::oid AS node
           FROM pg_get_wal_records_info($1, $2)
          WHERE (resource_manager = 'Btree' AND record_type IN ('INSERT_LEAF', 'INSERT_POST', 'SPLIT_L', 'SPLIT_R'))
             OR (resource_manager = 'BRIN' AND record_type IN ('INSERT', 'UPDATE', 'SAMEPAGE_UPDATE'))
       )
       SELECT COALESCE(parent.relname, t.relname, '(other)') AS relation, count(*)::bigint AS entries
         FROM r
         LEFT JOIN pg_class ix ON ix.relfilenode = r.node AND ix.relkind IN ('i', 'I')
         LEFT JOIN pg_index i ON i.indexrelid = ix.oid
         LEFT JOIN pg_class t ON t.oid = i.indrelid
         LEFT JOIN pg_inherits h ON h.inhrelid = t.oid
         LEFT JOIN pg_class parent ON parent.oid = h.inhparent
        WHERE r.node IS NOT NULL
        GROUP BY 1 ORDER BY 2 DESC`,
      [from, to],
    );
    return rows.map((r) => ({ relation: r.relation, entries: Number(r.entries) }));
  } catch {
    return undefined;
  }
}

/** Starts counting; `finish(messages)` answers the wal_per_message and index_writes_per_message figures. */
export async function watchDatabaseActivity(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // A temporary replication slot of this session keeps the server from recycling the WAL written from here on
  // (a shared server's checkpoints removed it before it was read); it goes when the session ends. Best effort.
  await client
    .query(`SELECT pg_create_physical_replication_slot($1, true, true)`, [
      `munja_bench_${process.pid}_${Date.now()}`,
    ])
    .catch(() => undefined);
  const before = await snapshot(client);
  return {
    async finish(messages, phase) {
      try {
        const after = await snapshot(client);
        const { rows } = await client.query('SELECT pg_wal_lsn_diff($1, $2)::bigint AS bytes', [
          after.lsn,
          before.lsn,
        ]);
        const wal = Number(rows[0].bytes);
        const own = await walOfThisDatabase(client, before.lsn, after.lsn);
        const entries = await indexEntriesOfThisDatabase(client, before.lsn, after.lsn);
        const exactEntries = entries?.reduce((sum, r) => sum + r.entries, 0);
        const delta = (key) => after[key] - before[key];
        // per table, per message: where the index entries and row versions go (the largest first)
        const perTable = {};
        for (const [relation, now] of after.tables) {
          const then = before.tables.get(relation);
          const per = (key) => Number(((Number(now[key]) - Number(then?.[key] ?? 0)) / messages).toFixed(2));
          if (per('index_writes') + per('inserts') + per('updates') + per('deletes') === 0) continue;
          perTable[relation] = {
            indexWrites: per('index_writes'),
            inserts: per('inserts'),
            updates: per('updates'),
            hotUpdates: per('hot_updates'),
            deletes: per('deletes'),
          };
        }
        return [
          {
            figure: 'wal_per_message',
            value: Math.round(wal / messages),
            unit: 'bytes',
            target: 2500,
            atMost: true,
            messages,
            walBytes: wal,
            // this database's own records (pg_walinspect): what the figure is when the server is shared
            thisDatabasePerMessage: own.bytes === undefined ? null : Math.round(own.bytes / messages),
            thisDatabaseFullPageImagesPerMessage:
              own.fpi === undefined ? null : Math.round(own.fpi / messages),
            // without the full-page images, which depend on where the server's checkpoints fell
            thisDatabaseWithoutFullPageImagesPerMessage:
              own.bytes === undefined ? null : Math.round((own.bytes - own.fpi) / messages),
            ...(own.error ? { thisDatabaseError: own.error } : {}),
            ...(own.byRelation
              ? {
                  thisDatabaseByRelation: Object.fromEntries(
                    own.byRelation.map((r) => [r.relation, Math.round(Number(r.bytes) / messages)]),
                  ),
                }
              : {}),
            phase,
            measuredBy:
              'pg_current_wal_lsn() difference (server-wide: other databases on a shared server add to it)',
          },
          {
            figure: 'index_writes_per_message',
            // exact where this database's WAL can be read; else the pg_stat_all_tables upper bound
            value: Number(((exactEntries ?? delta('indexWrites')) / messages).toFixed(1)),
            unit: 'index entries',
            target: 12,
            atMost: true,
            messages,
            phase,
            rowsInsertedPerMessage: Number((delta('inserts') / messages).toFixed(2)),
            rowsUpdatedPerMessage: Number((delta('updates') / messages).toFixed(2)),
            hotUpdatesPerMessage: Number((delta('hotUpdates') / messages).toFixed(2)),
            rowsDeletedPerMessage: Number((delta('deletes') / messages).toFixed(2)),
            ...(entries
              ? {
                  walEntriesByTable: Object.fromEntries(
                    entries.map((r) => [r.relation, Number((r.entries / messages).toFixed(2))]),
                  ),
                }
              : {}),
            upperBoundFromStats: Number((delta('indexWrites') / messages).toFixed(1)),
            perTable: Object.fromEntries(
              Object.entries(perTable).sort(([, a], [, b]) => b.indexWrites - a.indexWrites),
            ),
            measuredBy:
              exactEntries === undefined
                ? 'pg_stat_all_tables deltas: (inserts + non-HOT updates) x indexes of each relation; partial predicates not evaluated (upper bound)'
                : "this database's WAL (pg_walinspect): B-tree leaf inserts and BRIN summary changes; upperBoundFromStats and perTable: pg_stat_all_tables deltas x indexes (partial predicates not evaluated)",
          },
        ];
      } finally {
        await client.end();
      }
    },
  };
}
