import { DataSource, type DataSourceOptions } from 'typeorm';

/** The advisory lock key every Munja process takes to migrate (any fixed 64-bit number; "munja" in ASCII). */
export const MIGRATION_LOCK_KEY = '469853203553';

/**
 * Opens the data source and runs the pending migrations under a PostgreSQL session advisory lock, so that
 * processes starting at once on one database migrate one after another: the first migrates, the others wait,
 * then find nothing pending. Without it two processes created the same tables at once and one crashed
 * (`duplicate key … pg_type_typname_nsp_index`, `could not open relation with OID …`).
 */
export async function openWithLockedMigrations(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await dataSource.runMigrations({ transaction: 'each' });
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}
