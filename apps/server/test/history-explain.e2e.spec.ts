import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { MessageHistoryQuery } from '../src/messages/results.dto';
import { ResultsService } from '../src/messages/results.service';
import { fillHistory, partitionDays, syntheticRecipient } from '../src/retention/synthetic-history';
import { rootPlan, type PlanNode } from './support/query-plan';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

const END = new Date('2026-03-02T01:00:00Z');
const DAYS = 30;

interface Scan {
  node: string;
  relation: string;
  /** the partitioned index (on `messages`) the partition's index was cloned from */
  index: string | null;
}

/**
 * The history search's real statements (ResultsService.historyQuery) explained against tens of thousands of
 * rows per partition, analyzed: each filter reads its own index in every day it touches, no day partition is
 * read whole, and the days outside the time range are not read at all.
 */
describe('history search plans', () => {
  let t: TestApp;
  let db: DataSource;
  let projectId: string;
  let parentIndex: Map<string, string>;
  let partitionRows: Map<string, number>;

  beforeAll(async () => {
    t = await startTestApp({
      clock: new TestClock(END),
      env: { MUNJA_DISPATCH: 'false', MUNJA_RETENTION: 'false', MUNJA_WEBHOOKS: 'false' },
    });
    db = t.app.get(DataSource);
    projectId = (await t.createProject('History')).projectId;
    const other = (await t.createProject('Other')).projectId;
    await partitionDays(db, END, DAYS);
    // Enough rows that a day partition is worth an index: 2,000 per day (PostgreSQL plans these as it plans
    // 10,000 per day, which took four times as long to write).
    const rows = 60_000;
    await fillHistory(db, { projectId, rows, days: DAYS, end: END });
    await fillHistory(db, { projectId: other, rows: rows / 10, days: DAYS, end: END, first: rows });
    const links = (await db.query(
      `SELECT c.relname AS child, p.relname AS parent FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       WHERE p.relkind = 'I'`,
    )) as { child: string; parent: string }[];
    parentIndex = new Map(links.map((link) => [link.child, link.parent]));
    const sizes = (await db.query(
      `SELECT relname AS name, reltuples AS rows FROM pg_class WHERE relname LIKE 'messages_p%' AND relkind = 'r'`,
    )) as { name: string; rows: number }[];
    partitionRows = new Map(sizes.map((size) => [size.name, Number(size.rows)]));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });

  const explain = async (query: MessageHistoryQuery | { messageId: string }): Promise<Scan[]> => {
    const results = t.app.get(ResultsService);
    const [text, parameters] = (
      'messageId' in query
        ? results.messageQuery(projectId, query.messageId)
        : results.historyQuery(projectId, query)
    ).getQueryAndParameters();
    const plan = rootPlan(await db.query(`EXPLAIN (FORMAT JSON) ${text}`, parameters));
    const scans: Scan[] = [];
    const cloned = (index: string | undefined) => (index ? (parentIndex.get(index) ?? index) : null);
    const walk = (node: PlanNode) => {
      if (node['Relation Name']) {
        // A bitmap heap scan reads the rows its Bitmap Index Scan child found.
        const bitmap = node.Plans?.find((child) => child['Node Type'] === 'Bitmap Index Scan');
        scans.push({
          node: node['Node Type'],
          relation: node['Relation Name'],
          index: cloned(node['Index Name'] ?? bitmap?.['Index Name']),
        });
      }
      node.Plans?.forEach(walk);
    };
    walk(plan);
    return scans;
  };
  /** Scans of the day partitions (the DEFAULT is empty here; the planner may read it any way it likes). */
  const days = (scans: Scan[]) => scans.filter((scan) => scan.relation.startsWith('messages_p'));
  /**
   * Scans of the full days: the day of END holds only its first hour, and reading a few dozen rows whole is
   * what the planner should do with them.
   */
  const fullDays = (scans: Scan[]) =>
    days(scans).filter((scan) => (partitionRows.get(scan.relation) ?? 0) > 1000);

  it.each<[string, string, MessageHistoryQuery]>([
    ['the last 30 days', 'messages_history', {}],
    ['one recipient', 'messages_history_to', { to: syntheticRecipient(12_345) }],
    ['the rare calling number', 'messages_history_from', { from: '02-1234-5670' }],
    ['INTL only', 'messages_history_type', { type: 'INTL' }],
  ])('%s: reads %s in each day, no day read whole', async (_, index, query) => {
    const scans = fullDays(await explain(query));
    expect(scans.length).toBeGreaterThanOrEqual(DAYS - 1);
    expect(scans.filter((scan) => scan.node === 'Seq Scan')).toEqual([]);
    expect(new Set(scans.map((scan) => scan.index))).toEqual(new Set([index]));
  });

  // The open messages are listed by the lifecycle's small tables (queue, awaiting reports, reserved through their
  // reservation); the planner either probes each one's primary key or walks the page order keeping the listed
  // ones: an index either way, never a day read whole.
  it.each<[string, MessageHistoryQuery]>([
    ['READY only', { status: 'READY' }],
    ['PROCESSING MMS', { status: 'PROCESSING', type: 'MMS' }],
  ])('%s: reads the open messages by index, no day read whole', async (_, query) => {
    const scans = await explain(query);
    const dayScans = fullDays(scans);
    expect(dayScans.length).toBeGreaterThanOrEqual(DAYS - 1);
    expect(dayScans.filter((scan) => scan.node === 'Seq Scan')).toEqual([]);
    const allowed = ['messages_pkey', 'messages_history', 'messages_history_type', 'messages_reservation'];
    expect(dayScans.filter((scan) => !allowed.includes(scan.index ?? ''))).toEqual([]);
    const relations = new Set(scans.map((scan) => scan.relation));
    for (const table of ['message_queue', 'awaiting_reports', 'reservations'])
      expect(relations).toContain(table);
  });

  it('one message by a UUIDv7 id reads the day its id names; an older v4 id every day', async () => {
    // 2026-02-20T12:00:00.000Z in the id's first 48 bits
    const millis = Date.parse('2026-02-20T12:00:00.000Z').toString(16).padStart(12, '0');
    const v7 = `${millis.slice(0, 8)}-${millis.slice(8)}-7000-8000-000000000000`;
    expect((await explain({ messageId: v7 })).map((scan) => scan.relation)).toEqual(['messages_p20260220']);
    const v4 = days(await explain({ messageId: '3f2b8c1e-9a4d-4c2b-8e1f-0123456789ab' }));
    expect(v4.length).toBeGreaterThanOrEqual(DAYS);
  });

  it('a one-day range reads that day only (partition pruning)', async () => {
    const scans = days(
      await explain({ requestTimeFrom: '2026-02-20T00:00:00Z', requestTimeTo: '2026-02-21T00:00:00Z' }),
    );
    expect(scans.map((scan) => scan.relation)).toEqual(['messages_p20260220']);
    expect(scans[0]?.index).toBe('messages_history');
  });

  it('a later page starts at the cursor: the newer days are not read', async () => {
    const cursor = Buffer.from(
      JSON.stringify(['2026-02-10T12:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    const relations = days(await explain({ cursor })).map((scan) => scan.relation);
    expect(relations).toContain('messages_p20260210');
    expect(relations.filter((name) => name > 'messages_p20260210')).toEqual([]);
  });
});
