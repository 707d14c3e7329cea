import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { DemoService } from '../src/demo/demo.service';
import { sensPlugin } from './dispatch-support';
import { pgliteTemplate, unpackPgliteTemplate } from './pglite-template';
import { createScratchDatabase, startTestApp } from './test-app';

describe('start-up', () => {
  const folder = mkdtempSync(join(tmpdir(), 'munja-start-'));

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps the embedded database, the operator key and the demo key across restarts', async () => {
    const env = { MUNJA_PGLITE_DIR: join(folder, 'pglite'), MUNJA_OPERATOR_KEY: undefined };
    // The database folder as a migrated template (a first start's initdb on an empty folder is what
    // readme-commands.e2e.spec.ts runs, through `npm start`); the operator key file is made by this start.
    await unpackPgliteTemplate(env.MUNJA_PGLITE_DIR);
    const first = await startTestApp({ database: 'pglite', env });
    let demo;
    let operatorKey: string;
    let projectId: string;
    try {
      operatorKey = first.operatorKey;
      expect(operatorKey).toMatch(/^mk_op_/);
      const keyFile = join(folder, 'operator.key');
      expect(readFileSync(keyFile, 'utf8').trim()).toBe(operatorKey);
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      demo = await first.app.get(DemoService).seed();
      ({ projectId } = await first.createProject('Kept'));
    } finally {
      await first.close();
    }

    const second = await startTestApp({ database: 'pglite', env });
    try {
      expect(second.operatorKey).toBe(operatorKey);
      const again = await second.app.get(DemoService).seed();
      expect(again).toEqual(demo);
      const projects = await second.http.get('/v1/projects').set(second.bearer(operatorKey)).expect(200);
      expect(projects.body.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([projectId, demo.projectId]),
      );
      // The demo project is ready to send: one APPROVED calling number, a COMPLETE 080 service, one key.
      const numbers = await second.http
        .get('/v1/calling-numbers')
        .set(second.bearer(demo.apiKey))
        .expect(200);
      expect(numbers.body.items).toEqual([
        expect.objectContaining({ number: demo.callingNumber, status: 'APPROVED' }),
      ]);
      const service = await second.http
        .get('/v1/opt-out/service')
        .set(second.bearer(demo.apiKey))
        .expect(200);
      expect(service.body).toMatchObject({ status: 'COMPLETE', number080: demo.optOutNumber, generation: 1 });
      const keys = await second.http
        .get(`/v1/projects/${demo.projectId}/keys`)
        .set(second.bearer(operatorKey))
        .expect(200);
      expect(keys.body.items).toHaveLength(1);
    } finally {
      await second.close();
    }
    // Two on-disk PGlite starts take long on a busy machine.
  }, 240_000);

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x', MUNJA_OPERATOR_KEY: 'k'.repeat(30) }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1/x' }, 'MUNJA_OPERATOR_KEY'],
    [{ MUNJA_OPERATOR_KEY: 'short' }, 'MUNJA_OPERATOR_KEY'],
    [{ MUNJA_DEMO: 'perhaps' }, 'MUNJA_DEMO'],
    [{ MUNJA_DB_POOL_SIZE: '1' }, 'MUNJA_DB_POOL_SIZE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses to start with %j, naming %s', async (env, name) => {
    await expect(
      createApp({ env: { MUNJA_PGLITE_DIR: 'memory://', ...env }, shutdownHooks: false }),
    ).rejects.toThrow(new RegExp(`Invalid configuration:[\\s\\S]*${name}`));
  });

  // A provider that fails (here the route table) leaves Nest no application to close, while other providers
  // are still opening: the data source's pool was connecting and, left open, raised an unhandled 'error'
  // (57P01) when the test dropped its database. Every socket the start opened is closed before it rejects.
  it('closes everything a failed start opened: no socket and no database connection is left', async () => {
    const serverUrl = process.env.DATABASE_URL;
    const scratch = serverUrl ? await createScratchDatabase(serverUrl) : undefined;
    const sockets = () =>
      process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap' || type === 'TCPServerWrap')
        .length;
    try {
      const embeddedTemplate = scratch ? undefined : await pgliteTemplate();
      await sleep(100);
      const before = sockets();
      const start = createApp({
        env: {
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          MUNJA_DEMO: 'false',
          MUNJA_OPERATOR_KEY: 'k'.repeat(30),
          MUNJA_PGLITE_DIR: 'memory://',
          DATABASE_URL: scratch?.url,
          MUNJA_PLUGINS: JSON.stringify([sensPlugin('http://127.0.0.1:9')]),
          MUNJA_ROUTES: JSON.stringify([{ countryCode: '*', plugins: ['omni'] }]),
        },
        shutdownHooks: false,
        ...(embeddedTemplate ? { embeddedTemplate } : {}),
      });
      await expect(start).rejects.toThrow(/names plugin "omni", which is not loaded/);
      // A closed socket's handle goes a moment after its close resolved.
      for (let waited = 0; sockets() > before && waited < 2000; waited += 20) await sleep(20);
      expect(sockets()).toBe(before);
      // Nothing still opening connects later either.
      await sleep(500);
      expect(sockets()).toBe(before);
      if (scratch && serverUrl) {
        const admin = new Client({ connectionString: serverUrl });
        await admin.connect();
        try {
          const backends = await admin.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [scratch.name],
          );
          expect(backends.rows[0].n).toBe(0);
        } finally {
          await admin.end();
        }
      }
    } finally {
      await scratch?.drop();
    }
  });
});
