import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

// A first start on an empty folder: initdb runs in a child process into `<folder>.initdb-<pid>`, renamed into place.
describe('embedded PostgreSQL data folder', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'munja-embedded-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function count(url: string): Promise<number> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM kept');
      return rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  // (a missing folder, `npm start`'s first start, is what test/readme-commands.e2e.spec.ts starts on)
  it('creates an empty folder through a child initdb, leaves no staging folder, and reopens it', async () => {
    const dataDir = join(root, 'pglite');
    mkdirSync(dataDir);
    // a staging folder left by an interrupted first start is replaced
    const stale = `${dataDir}.initdb-12345`;
    mkdirSync(stale);
    writeFileSync(join(stale, 'PG_VERSION'), 'half made');
    const first = await startEmbeddedPostgres({ dataDir, maxConnections: 2 });
    try {
      const client = new Client({ connectionString: first.url });
      await client.connect();
      await client.query('CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2)');
      await client.end();
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(['pglite']);

    const again = await startEmbeddedPostgres({ dataDir, maxConnections: 2 });
    try {
      expect(await count(again.url)).toBe(2);
    } finally {
      await again.stop();
    }
  });
});
