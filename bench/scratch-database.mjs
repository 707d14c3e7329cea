// A fresh database on the PostgreSQL server for each service process of the run, dropped at the end, so a run
// starts from empty tables and leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { URL } from 'node:url';
import { pg } from './workspace.mjs';

/** The server holding the scratch databases: MUNJA_BENCH_POSTGRES_URL, else DATABASE_URL (the CI's), else the machine's. */
export const benchPostgresUrl =
  process.env.MUNJA_BENCH_POSTGRES_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(serverUrl, sql) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function createScratchDatabase(serverUrl) {
  // a shared server: MUNJA_BENCH_DATABASE_PREFIX keeps each user's scratch databases apart
  const name = `${process.env.MUNJA_BENCH_DATABASE_PREFIX ?? 'munja_bench'}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
