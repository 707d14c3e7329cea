import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/migrations';
import { migrationsKey } from './migrations-key';

const PREFIX = 'munja_tpl_';

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The UTC day as YYYYMMDD: the migrations create "today's" message partitions from the database's clock. */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * A migrated, empty database on the PostgreSQL server in `serverUrl`, shared by every e2e file of every run
 * on that server: `CREATE DATABASE … TEMPLATE` then copies it in a fraction of the time the migrations take.
 * Named after the migrations' sources and the UTC day (the partition migration creates today's partitions),
 * built once under an advisory lock (the jest workers start together), and only ever read afterwards: no
 * session connects to it, so copying it never waits. Templates of days before yesterday are dropped.
 */
export async function postgresTemplate(serverUrl: string): Promise<string> {
  const now = new Date();
  const name = `${PREFIX}${migrationsKey()}_${utcDay(now)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      // Built under another name and renamed at the end, so a run killed half-way leaves no half template.
      const building = `${name}_b${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      try {
        const dataSource = new DataSource({
          type: 'postgres',
          url: databaseUrl(serverUrl, building),
          migrations: MIGRATIONS,
          migrationsTransactionMode: 'each',
        });
        await dataSource.initialize();
        try {
          await dataSource.runMigrations();
        } finally {
          await dataSource.destroy();
        }
        // The pool's backends may still be exiting: end them, or the rename is refused.
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
          building,
        ]);
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        throw error;
      }
      await dropOldTemplates(admin, now);
    }
  } finally {
    await admin.end();
  }
  return name;
}

/** Templates of days before yesterday: no run still copies them (a run crossing midnight uses yesterday's). */
async function dropOldTemplates(admin: Client, now: Date): Promise<void> {
  const yesterday = utcDay(new Date(now.getTime() - 24 * 3600_000));
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`,
  );
  for (const { datname } of rows) {
    const day = /_(\d{8})$/.exec(datname)?.[1];
    if (day && day < yesterday) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  }
}
