import { describe, expect, it } from '@jest/globals';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { pgliteTemplate } from './pglite-template';

/**
 * The dispatcher, the report poller and the API query the embedded PGlite concurrently through one pool.
 * pglite-socket alone interleaves connections' Parse/Bind messages outside transactions and breaks them;
 * keepProtocolSequencesTogether keeps each sequence whole.
 */
describe('embedded PGlite under concurrent queries', () => {
  it('runs 400 concurrent parameterized queries and transactions from 8 connections without a protocol error', async () => {
    // from the shared migrated dump: no initdb of its own (a minute on a loaded machine)
    const embedded = await startEmbeddedPostgres({
      dataDir: 'memory://',
      maxConnections: 10,
      loadDataDir: await pgliteTemplate(),
    });
    const pool = new Pool({ connectionString: embedded.url, max: 8 });
    pool.on('error', () => undefined);
    try {
      await pool.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
      const errors: string[] = [];
      await Promise.all(
        Array.from({ length: 400 }, async (_, i) => {
          try {
            if (i % 3 === 0) {
              const client = await pool.connect();
              try {
                await client.query('BEGIN');
                await client.query('INSERT INTO t VALUES ($1, $2)', [i, 'v']);
                await client.query('SELECT $1::int', [i]);
                await client.query('COMMIT');
              } finally {
                client.release();
              }
            } else {
              const { rows } = await pool.query(
                'SELECT $1::int AS a, $2::text AS b, $3::int AS c, $4::int AS d',
                [i, 'x', i, i],
              );
              expect(rows[0]).toEqual({ a: i, b: 'x', c: i, d: i });
            }
          } catch (error) {
            errors.push((error as Error).message);
          }
        }),
      );
      expect(errors).toEqual([]);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM t');
      expect(rows[0].n).toBe(134);
    } finally {
      await pool.end();
      await embedded.stop();
    }
  });
});
