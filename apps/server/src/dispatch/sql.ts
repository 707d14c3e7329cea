import type { DataSource, EntityManager } from 'typeorm';

export interface SqlResult<T> {
  readonly rows: T[];
  readonly affected: number;
}

/**
 * Runs one statement and answers its rows and affected count alike for SELECT, UPDATE … RETURNING and CTEs
 * (DataSource.query shapes them differently by command). With a manager it runs inside that transaction.
 */
export async function sql<T = Record<string, unknown>>(
  db: DataSource | EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<SqlResult<T>> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner;
  if (runner && !runner.isReleased) {
    const result = (await runner.query(text, params, true)) as { records: T[]; affected?: number };
    return { rows: result.records ?? [], affected: result.affected ?? 0 };
  }
  const own = manager.connection.createQueryRunner();
  try {
    const result = (await own.query(text, params, true)) as { records: T[]; affected?: number };
    return { rows: result.records ?? [], affected: result.affected ?? 0 };
  } finally {
    await own.release();
  }
}
