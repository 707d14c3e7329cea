import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import { type DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A statement run with its parameters, answering its rows. */
export type RowsQuery = <T extends QueryResultRow>(text: string, values: unknown[]) => Promise<T[]>;

/**
 * Distinct statements kept prepared on each connection. The send writer's statement has a few shapes (a column
 * of one value in every row travels as a scalar: bulk-insert.ts); beyond this many, statements run unnamed.
 */
const MAX_NAMED = 64;

/**
 * Runs statements as named prepared statements on a PostgreSQL server: each pooled connection parses and
 * plans a statement's text once, later executions send only its name and parameters. For the send writer's
 * statement (six CTEs over five tables) that was 0.6–0.85 ms of PostgreSQL planning, and ~4 KB of text written
 * to the socket, per batch. Errors are TypeORM's QueryFailedError, as from `DataSource.query`.
 *
 * `embedded`: the embedded PGlite serves every connection from one session (pglite-socket), where a name
 * prepared by one connection would clash with another's: there statements run unnamed, through TypeORM.
 */
export function preparedQuery(db: DataSource, { embedded }: { embedded: boolean }): RowsQuery {
  if (embedded) return (text, values) => db.query(text, values);
  const names = new Map<string, string>();
  return async <T extends QueryResultRow>(text: string, values: unknown[]): Promise<T[]> => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED) {
      name = `munja_${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    if (name === undefined) return db.query(text, values);
    const pool = (db.driver as PostgresDriver).master as Pool;
    try {
      return (await pool.query<T>({ name, text, values })).rows;
    } catch (error) {
      throw new QueryFailedError(text, values, error as Error);
    }
  };
}
