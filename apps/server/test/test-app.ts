import { randomBytes } from 'node:crypto';
import { afterAll } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '../src/app.factory';
import { OPERATOR_KEY } from '../src/auth/operator-key';
import type { Clock } from '../src/common/clock';
import { pgliteTemplate } from './pglite-template';
import { postgresTemplate } from './postgres-template';
import { TestClock } from './test-clock';

export interface TestAppOptions {
  /** settings on top of the test defaults (silent logs, no demo project, a random operator key) */
  env?: Record<string, string | undefined>;
  /** the injectable clock (default: a TestClock at 2026-03-02 10:00 KST) */
  clock?: Clock;
  /** 'pglite' forces the embedded database even when DATABASE_URL is set (default: as the suite runs) */
  database?: 'auto' | 'pglite';
  /** POST /v1/messages without Nest's pipeline (createApp's `directSendRoute`; default true) */
  directSendRoute?: boolean;
}

export interface TestProject {
  projectId: string;
  apiKey: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<ephemeral port> */
  url: string;
  http: TestAgent;
  clock: Clock;
  operatorKey: string;
  /** which database path this run uses */
  database: 'postgres' | 'pglite';
  /** the database URL the app connects to (a fresh database per test app on PostgreSQL) */
  databaseUrl: string;
  /** `Authorization` header value for a key */
  bearer(key: string): { Authorization: string };
  /** creates a project and an API key through the operator API */
  createProject(name?: string): Promise<TestProject>;
  close(): Promise<void>;
}

/**
 * Creates a throw-away database on the PostgreSQL server in `serverUrl`, as a copy of the migrated template
 * (`test/postgres-template.ts`); returns its URL and a dropper.
 */
export async function createScratchDatabase(
  serverUrl: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const template = await postgresTemplate(serverUrl);
  const name = `munja_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Boots the real application over HTTP on an ephemeral loopback port: on a fresh PostgreSQL database when
 * DATABASE_URL is set (dropped again by close()), on an in-memory PGlite otherwise.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // env.DATABASE_URL given: a second app on another's database (or '' for PGlite), no scratch database of its own
  const ownDatabase = options.database !== 'pglite' && !(options.env && 'DATABASE_URL' in options.env);
  const serverUrl = ownDatabase ? process.env.DATABASE_URL : undefined;
  const scratch = serverUrl ? await createScratchDatabase(serverUrl) : undefined;
  const operatorKey = `mk_op_test_${randomBytes(16).toString('hex')}`;
  const clock = options.clock ?? new TestClock();
  const env: Record<string, string | undefined> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MUNJA_DEMO: 'false',
    MUNJA_OPERATOR_KEY: operatorKey,
    MUNJA_PGLITE_DIR: 'memory://',
    DATABASE_URL: scratch?.url,
    ...options.env,
  };
  let app: NestFastifyApplication;
  try {
    // An in-memory PGlite starts from the shared migrated template; a data folder (start-up tests) does not.
    const inMemory = !env.DATABASE_URL && env.MUNJA_PGLITE_DIR === 'memory://';
    const embeddedTemplate = inMemory ? await pgliteTemplate() : undefined;
    app = await createApp({
      env,
      clock,
      shutdownHooks: false,
      directSendRoute: options.directSendRoute ?? true,
      ...(embeddedTemplate ? { embeddedTemplate } : {}),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await scratch?.drop();
    throw error;
  }
  const address = app.getHttpServer().address();
  if (typeof address !== 'object' || address === null) throw new Error('the test app is not listening');
  const url = `http://127.0.0.1:${address.port}`;
  const http = request(url);
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
  const effectiveOperatorKey = app.get<string>(OPERATOR_KEY, { strict: false });

  return {
    app,
    url,
    http,
    clock,
    operatorKey: effectiveOperatorKey,
    database: env.DATABASE_URL ? 'postgres' : 'pglite',
    databaseUrl: env.DATABASE_URL || 'pglite',
    bearer,
    async createProject(name = 'Test project') {
      const project = await http
        .post('/v1/projects')
        .set(bearer(effectiveOperatorKey))
        .send({ name })
        .expect(201);
      const key = await http
        .post(`/v1/projects/${project.body.id}/keys`)
        .set(bearer(effectiveOperatorKey))
        .send({ name: 'test' })
        .expect(201);
      return { projectId: project.body.id as string, apiKey: key.body.key as string };
    },
    async close() {
      try {
        await app.close();
      } finally {
        // The database goes while the next test runs; the file waits for it at its end (afterAll below).
        if (scratch) pendingDrops.push(scratch.drop());
      }
    },
  };
}

const pendingDrops: Promise<void>[] = [];

/** The apps of sharedTestApp, by their settings; each runs until its file's last test is done. */
const sharedApps = new Map<string, { started: Promise<TestApp>; clock: DelegatingClock }>();

// Registered by each test file that imports this module: after its last test, the shared apps close and the
// scratch databases of its closed apps are dropped.
afterAll(async () => {
  const apps = [...sharedApps.values()];
  sharedApps.clear();
  await Promise.allSettled(apps.map(async ({ started }) => (await started).close()));
  await Promise.all(pendingDrops.splice(0));
});

/** The clock of a shared app: each describe that uses the app puts its own clock in. */
class DelegatingClock implements Clock {
  target: Clock = new TestClock();

  now(): Date {
    return this.target.now();
  }
}

/**
 * An app booted once per test file for every describe with the same settings (`env`, `database`), so that
 * a file does not pay for a database copy and a full boot per describe. Each describe isolates its data with a
 * project of its own (createProject): only describes whose tests look at nothing outside their projects may
 * share one (no table-wide counts, no metrics, no workers they need to themselves). The describe's own clock
 * (options.clock, else a new TestClock) drives the app from the call on, until the next describe puts its
 * own; close() does nothing (the app closes after the file's last test).
 */
export async function sharedTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const key = JSON.stringify([options.database ?? 'auto', Object.entries(options.env ?? {}).sort()]);
  let shared = sharedApps.get(key);
  if (!shared) {
    const clock = new DelegatingClock();
    shared = { started: startTestApp({ ...options, clock }), clock };
    sharedApps.set(key, shared);
  }
  const clock = options.clock ?? new TestClock();
  shared.clock.target = clock;
  const app = await shared.started;
  return { ...app, clock, close: async () => undefined };
}
