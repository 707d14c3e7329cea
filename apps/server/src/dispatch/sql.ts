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

/** Planner methods a statement may be denied (SET LOCAL: for its own transaction only). */
export type PlannerSettings = Partial<
  Record<
    | 'enable_bitmapscan'
    | 'enable_sort'
    | 'enable_hashjoin'
    | 'enable_mergejoin'
    | 'enable_seqscan'
    | 'enable_material',
    'off'
  >
>;

/**
 * The dispatcher's batch statements touch a few hundred rows by key or in index order. The plan the planner
 * picks for them depends on statistics that a burst (a 100,000-row bulk into a day nobody has analyzed yet, or
 * analyzed while every row was QUEUED) leaves wrong for a minute or more: it then read and sorted every QUEUED
 * row for each 500-row claim (215 ms instead of 2 ms), or hashed a whole day for each outcome update (and,
 * denied the hash, looped over a materialized scan of the day). Denying those methods to these statements
 * alone gives the one plan that is right at any volume.
 */
export const ORDERED_CLAIM: PlannerSettings = {
  enable_bitmapscan: 'off',
  enable_sort: 'off',
  // the claimed queue rows and their messages are then found by key, never by hashing the whole queue
  enable_hashjoin: 'off',
  enable_mergejoin: 'off',
  enable_seqscan: 'off',
};
export const KEYED_UPDATE: PlannerSettings = {
  enable_hashjoin: 'off',
  enable_mergejoin: 'off',
  enable_seqscan: 'off',
  enable_material: 'off',
};

/**
 * Applies planner settings to the rest of the current transaction of `manager`, and turns JIT off there: a denied
 * method still in the plan (the report expiry's seq scan of awaiting_reports, which has no index on sent_at)
 * costs 1e10 to the planner, past jit_above_cost and jit_optimize_above_cost, and PostgreSQL compiled the
 * statement: 750–990 ms of backend CPU for JIT in an expiry that found nothing (EXPLAIN ANALYZE, PostgreSQL 15).
 * It runs as the dispatcher starts, so that second of a core went to the first bulk upload's time on 2 cores.
 * These statements touch a batch of rows by key; JIT never pays for itself in them.
 */
export async function planWith(manager: EntityManager, settings: PlannerSettings): Promise<void> {
  const entries: [string, string][] = Object.entries(settings);
  if (entries.length === 0) return;
  entries.push(['jit', 'off']);
  await manager.query(
    `SELECT ${entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
    entries.flat(),
  );
}

/** `sql` for one statement planned under `settings`, in a transaction of its own. */
export function sqlPlanned<T = Record<string, unknown>>(
  db: DataSource,
  settings: PlannerSettings,
  text: string,
  params: unknown[] = [],
): Promise<SqlResult<T>> {
  return db.transaction(async (manager) => {
    await planWith(manager, settings);
    return sql<T>(manager, text, params);
  });
}
