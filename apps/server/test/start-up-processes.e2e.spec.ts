import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { startMainProcess, type MainProcess } from './main-process';
import { unpackPgliteTemplate } from './pglite-template';

const OPERATOR_KEY = 'mk_op_start_up_processes_0123456789';
const started: MainProcess[] = [];
const start = (env: Record<string, string>) => {
  const process = startMainProcess({ MUNJA_OPERATOR_KEY: OPERATOR_KEY, ...env });
  started.push(process);
  return process;
};

afterAll(async () => {
  await Promise.all(started.map((process) => process.stop()));
});

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('five processes started at once on a new PostgreSQL database', () => {
  let drop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await Promise.all(started.map((process) => process.stop()));
    await drop?.();
  });

  it('all come up: the migrations run once, under the advisory lock', async () => {
    // A new, empty database (test-app's scratch databases are copies of a migrated template).
    const serverUrl = process.env.DATABASE_URL!;
    const name = `munja_test_start_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    drop = async () => {
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const processes = Array.from({ length: 5 }, () => start({ DATABASE_URL: url.toString() }));
    const urls = await Promise.all(processes.map((p) => p.running));
    for (const base of urls) {
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
    }
    const check = new Client({ connectionString: url.toString() });
    await check.connect();
    try {
      const migrations = await check.query(
        'SELECT name, count(*)::int AS times FROM migrations GROUP BY name',
      );
      expect(migrations.rows.length).toBeGreaterThan(0);
      expect(migrations.rows.every((row: { times: number }) => row.times === 1)).toBe(true);
    } finally {
      await check.end();
    }
  }, 600_000);
});

describe('the embedded database folder and the port', () => {
  const folder = mkdtempSync(join(tmpdir(), 'munja-processes-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a second process on the same PGlite folder refuses to start, naming the folder and the first pid', async () => {
    const dataDir = join(folder, 'shared', 'pglite');
    // a folder started before (the migrated template): the lock is the subject here, not initdb
    await unpackPgliteTemplate(dataDir);
    const first = start({ DATABASE_URL: '', MUNJA_PGLITE_DIR: dataDir });
    const base = await first.running;
    const second = start({ DATABASE_URL: '', MUNJA_PGLITE_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`the data folder ${dataDir} is in use`);
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    // The first one is unharmed.
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    await first.stop();
    // Stopped, the folder is free again.
    const third = start({ DATABASE_URL: '', MUNJA_PGLITE_DIR: dataDir });
    await third.running;
    await third.stop();
  }, 600_000);

  it('a start whose port is taken stops before touching the data folder', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dataRoot = join(folder, 'untouched');
      const refused = start({
        DATABASE_URL: '',
        PORT: String(port),
        MUNJA_PGLITE_DIR: join(dataRoot, 'pglite'),
        MUNJA_OPERATOR_KEY: '',
      });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      // Neither the folder, nor the operator key kept beside it, nor anything else was created.
      expect(existsSync(dataRoot)).toBe(false);
    } finally {
      blocker.close();
    }
  }, 300_000);
});

onPostgres('a start whose port is taken, on PostgreSQL with dispatch on', () => {
  it('stops before it connects: no migration ran, so no dispatch could', async () => {
    const serverUrl = process.env.DATABASE_URL!;
    const name = `munja_test_port_${process.pid}_${Date.now()}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const refused = start({
        DATABASE_URL: url.toString(),
        PORT: String(port),
        MUNJA_DISPATCH: 'true',
        MUNJA_WEBHOOKS: 'true',
        MUNJA_RETENTION: 'true',
      });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      const check = new Client({ connectionString: url.toString() });
      await check.connect();
      try {
        const tables = await check.query(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
        );
        expect(tables.rows[0]).toEqual({ n: 0 });
      } finally {
        await check.end();
      }
    } finally {
      blocker.close();
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    }
  }, 300_000);
});
