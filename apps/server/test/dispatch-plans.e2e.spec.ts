import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CLAIM_STATEMENT, RECORD_SENT_STATEMENT } from '../src/lifecycle/message-queue';
import { KEYED_UPDATE, ORDERED_CLAIM, planWith, type PlannerSettings } from '../src/dispatch/sql';
import { bulkFields, numbersCsv, postBulk } from './bulk-support';
import { query } from './dispatch-support';
import { sendingProject } from './messages-fixtures';
import { planNodes, rootPlan, type PlanNode } from './support/query-plan';
import { startTestApp, type TestApp } from './test-app';

/**
 * The dispatcher's batch statements on a day that has just taken a bulk send and was never analyzed (the
 * state a campaign leaves for a minute or more): each is run for real (EXPLAIN ANALYZE, rolled back) under the
 * planner settings the dispatcher gives it, and must touch a batch's worth of rows, not the whole day.
 */
describe('dispatch statement plans on a freshly filled day', () => {
  let t: TestApp;
  let db: DataSource;
  const rows = 20_000;
  const batch = 500;

  beforeAll(async () => {
    t = await startTestApp({
      env: { MUNJA_DISPATCH: 'false', MUNJA_RETENTION: 'false', MUNJA_WEBHOOKS: 'false' },
    });
    db = t.app.get(DataSource);
    const project = await sendingProject(t, 'Plans');
    await postBulk(t, project, bulkFields(), numbersCsv(rows)).expect(202);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Runs `statement` under `settings` with EXPLAIN ANALYZE in a transaction that is rolled back. */
  const explain = async (
    settings: PlannerSettings,
    statement: string,
    params: unknown[],
  ): Promise<PlanNode[]> => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await planWith(runner.manager, settings);
      return planNodes(rootPlan(await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, params)));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };
  /** Rows read from the partitions of messages (all loops; the test clock's day is in DEFAULT). */
  const rowsReadFromDay = (nodes: PlanNode[]) =>
    nodes
      .filter((node) => node['Relation Name']?.startsWith('messages_'))
      .reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1), 0);

  it('a claim walks message_queue_visible in visibility order and stops at the batch: no sort, no bitmap of every queued row', async () => {
    const now = new Date(Date.now() + 60_000);
    const nodes = await explain(ORDERED_CLAIM, CLAIM_STATEMENT, [
      now,
      batch,
      'plans-test',
      new Date(now.getTime() + 60_000),
      [],
    ]);
    const types = nodes.map((node) => node['Node Type']);
    expect(types).not.toContain('Sort');
    expect(types).not.toContain('Bitmap Heap Scan');
    expect(types).not.toContain('Seq Scan');
    expect(nodes.find((node) => node['Relation Name'] === 'message_queue')?.['Index Name']).toBe(
      'message_queue_visible',
    );
    const claimed = nodes.find((node) => node['Node Type'] === 'Limit');
    expect(claimed?.['Actual Rows']).toBe(batch);
    // the due walk and the key probes of the UPDATE: a few rows per claimed row, never the day's 20,000
    expect(rowsReadFromDay(nodes)).toBeLessThanOrEqual(batch * 3);
  });

  it('an outcome update finds each of its rows by primary key: no hash of the day', async () => {
    const keys = await query<{ id: string; request_time: string }>(
      t,
      `SELECT id, to_char(request_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS request_time
         FROM messages ORDER BY recipient_index LIMIT $1`,
      [batch],
    );
    const nodes = await explain(KEYED_UPDATE, RECORD_SENT_STATEMENT, [
      new Date(),
      keys.map((k) => k.id),
      keys.map(() => 'sens'),
      keys.map((_, i) => `vendor-${i}`),
      keys.map(() => null),
      keys.map((k) => k.request_time),
    ]);
    const types = nodes.map((node) => node['Node Type']);
    expect(types).not.toContain('Hash Join');
    expect(types).not.toContain('Seq Scan');
    expect(rowsReadFromDay(nodes)).toBe(batch);
  });
});
