import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { DATABASE_LOCATION, type DatabaseLocation } from '../src/database/database-location';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** Cuts the app off its database: PGlite's server stops; a PostgreSQL database refuses new connections. */
async function loseDatabase(t: TestApp): Promise<void> {
  if (t.database === 'pglite') {
    await t.app.get<DatabaseLocation>(DATABASE_LOCATION, { strict: false }).embedded?.stop();
    return;
  }
  const name = new URL(t.databaseUrl).pathname.slice(1);
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  } finally {
    await admin.end();
  }
}

describe('a database lost during requests', () => {
  let t: TestApp;
  let project: SendingProject;

  beforeAll(async () => {
    // The key stays cached for the whole test, so the requests reach the database in their own work.
    t = await startTestApp({ env: { ...NO_DISPATCH, MUNJA_AUTH_CACHE_MS: '60000' } });
    project = await sendingProject(t, 'Lost');
    await t.http.post('/v1/messages').set(project.auth).send(sendBody()).expect(202);
  });
  afterAll(async () => {
    await t?.close().catch(() => undefined);
  });

  it('answers 503 with Retry-After in the error shape, never 500', async () => {
    await loseDatabase(t);
    for (const call of [
      () => t.http.post('/v1/messages').set(project.auth).send(sendBody()),
      () => t.http.get('/v1/messages').set(project.auth),
      () => t.http.post('/v1/projects').set(t.bearer(t.operatorKey)).send({ name: 'x' }),
    ]) {
      const answer = await call();
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
      expect(answer.body).toEqual({
        statusCode: 503,
        code: 'DATABASE_UNAVAILABLE',
        message: expect.stringContaining('Retry'),
      });
    }
    // Readiness names the failing check and why, in the error shape.
    const ready = await t.http.get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ statusCode: 503, code: 'NOT_READY' });
    expect(ready.body.message).toMatch(/^not ready: database: \S/);
    expect(ready.body.checks.database).toEqual({ status: 'down', reason: expect.any(String) });
    expect(ready.body.checks['plugin:sens']).toEqual({ status: 'up' });
  });
});
