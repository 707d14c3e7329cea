import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, QueryRunner } from 'typeorm';
import { startTestApp, TestApp } from './test-app';

/**
 * The message queue relies on `FOR UPDATE SKIP LOCKED` claims in concurrent transactions. On PostgreSQL they
 * run in parallel; on PGlite (one session behind pglite-socket) they are serialized. Either way no row may be
 * claimed twice and none lost. This test runs on whichever database path the suite runs on.
 */
describe(`FOR UPDATE SKIP LOCKED claims (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    dataSource = t.app.get(DataSource);
    await dataSource.query(`CREATE TABLE claim_probe (id integer PRIMARY KEY, claimed_by text)`);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function reset(rows: number): Promise<void> {
    await dataSource.query(`DELETE FROM claim_probe`);
    await dataSource.query(`INSERT INTO claim_probe (id) SELECT g FROM generate_series(1, $1) AS g`, [rows]);
  }

  async function claim(runner: QueryRunner, worker: string, limit: number): Promise<number[]> {
    const rows: { id: number }[] = await runner.query(
      `SELECT id FROM claim_probe WHERE claimed_by IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const ids = rows.map((row) => row.id);
    if (ids.length > 0) {
      await runner.query(`UPDATE claim_probe SET claimed_by = $1 WHERE id = ANY($2::int[])`, [worker, ids]);
    }
    return ids;
  }

  it('gives a second transaction other rows while the first still holds its claim', async () => {
    await reset(10);
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    try {
      await first.startTransaction();
      const firstIds = await claim(first, 'first', 5);
      // The second claimer starts while the first transaction is open: PostgreSQL skips the locked rows at
      // once; PGlite holds the second transaction until the first commits, which then sees them taken.
      const secondClaim = (async () => {
        await second.startTransaction();
        const ids = await claim(second, 'second', 5);
        await second.commitTransaction();
        return ids;
      })();
      await first.commitTransaction();
      const secondIds = await secondClaim;
      expect(firstIds).toEqual([1, 2, 3, 4, 5]);
      expect(secondIds).toEqual([6, 7, 8, 9, 10]);
    } finally {
      await first.release();
      await second.release();
    }
  });

  it('claims every row exactly once with four concurrent workers', async () => {
    await reset(200);
    const claimed = new Map<number, string>();
    const worker = async (name: string): Promise<void> => {
      const runner = dataSource.createQueryRunner();
      try {
        for (;;) {
          await runner.startTransaction();
          const ids = await claim(runner, name, 7);
          await runner.commitTransaction();
          if (ids.length === 0) return;
          for (const id of ids) {
            expect(claimed.has(id)).toBe(false);
            claimed.set(id, name);
          }
        }
      } finally {
        await runner.release();
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(worker));
    expect(claimed.size).toBe(200);
    const rows: { n: string }[] = await dataSource.query(
      `SELECT count(*) AS n FROM claim_probe WHERE claimed_by IS NULL`,
    );
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('rolls a claim back: the rows become claimable again', async () => {
    await reset(3);
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      expect(await claim(runner, 'crashed', 3)).toEqual([1, 2, 3]);
      await runner.rollbackTransaction();
      await runner.startTransaction();
      expect(await claim(runner, 'next', 3)).toEqual([1, 2, 3]);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  });

  it('recovers from a failed statement inside a transaction without stalling other connections', async () => {
    await reset(2);
    const failing = dataSource.createQueryRunner();
    try {
      await failing.startTransaction();
      await expect(failing.query(`INSERT INTO claim_probe (id) VALUES (1)`)).rejects.toThrow(/duplicate key/);
      await failing.rollbackTransaction();
    } finally {
      await failing.release();
    }
    const rows: { n: string }[] = await dataSource.query(`SELECT count(*) AS n FROM claim_probe`);
    expect(Number(rows[0]?.n)).toBe(2);
  });
});
