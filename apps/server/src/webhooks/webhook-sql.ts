import type { DataSource, EntityManager } from 'typeorm';

/**
 * One statement with its rows, the same for SELECT, UPDATE … RETURNING and CTEs (DataSource.query shapes
 * those differently). With a manager it runs inside that manager's transaction.
 */
export async function query<T>(
  db: DataSource | EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<{ rows: T[]; affected: number }> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner;
  const inTransaction = runner && !runner.isReleased ? runner : undefined;
  const own = inTransaction ? undefined : manager.connection.createQueryRunner();
  const target = inTransaction ?? own;
  if (!target) throw new Error('no query runner');
  try {
    const result = (await target.query(text, params, true)) as { records?: T[]; affected?: number };
    return { rows: result.records ?? [], affected: result.affected ?? 0 };
  } finally {
    await own?.release();
  }
}

/** ISO-8601 of a nullable timestamp. */
export function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
