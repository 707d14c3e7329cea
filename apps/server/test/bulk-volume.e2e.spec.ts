import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_BULK_RECIPIENTS } from '../src/bulk/bulk-send.service';
import type { RequestProgress } from '../src/bulk/progress.service';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { bulkFields, numbersCsv, postBulk } from './bulk-support';
import { FAST_DISPATCH, query, waitFor } from './dispatch-support';
import { NO_DISPATCH, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

// 100,000 rows are written (and, for 100,001, rolled back) by the real send path: minutes on a loaded PGlite.
const VOLUME_TIMEOUT_MS = 10 * 60_000;

const countOf = async (t: TestApp, sql: string, params: unknown[]): Promise<number> =>
  (await query<{ n: number }>(t, sql, params))[0]!.n;

describe('bulk sends at the recipient limit', () => {
  let t: TestApp;
  let project: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    project = await sendingProject(t, 'Bulk limit');
  });
  afterAll(async () => {
    await t?.close();
  });

  it(
    `takes exactly ${MAX_BULK_RECIPIENTS.toLocaleString('en')} rows, and refuses one more storing nothing`,
    async () => {
      expect(MAX_BULK_RECIPIENTS).toBe(100_000);
      const tooMany = await postBulk(t, project, bulkFields(), numbersCsv(MAX_BULK_RECIPIENTS + 1));
      expect([tooMany.status, tooMany.body.code, tooMany.body.field]).toEqual([
        422,
        'TOO_MANY_RECIPIENTS',
        'recipients',
      ]);
      const projectRows = [project.projectId];
      expect(
        await countOf(t, 'SELECT count(*)::int AS n FROM send_requests WHERE project_id = $1', projectRows),
      ).toBe(0);
      expect(
        await countOf(t, 'SELECT count(*)::int AS n FROM messages WHERE project_id = $1', projectRows),
      ).toBe(0);

      const full = await postBulk(t, project, bulkFields(), numbersCsv(MAX_BULK_RECIPIENTS)).expect(202);
      expect(full.body).toMatchObject({ accepted: MAX_BULK_RECIPIENTS, rejected: 0, rejectedRows: [] });
      const stored = await query<{ n: number; distinct_to: number; first: number; last: number }>(
        t,
        `SELECT count(*)::int AS n, count(DISTINCT to_number)::int AS distinct_to,
                min(recipient_index)::int AS first, max(recipient_index)::int AS last
           FROM messages WHERE request_id = $1`,
        [full.body.requestId],
      );
      expect(stored[0]).toEqual({
        n: MAX_BULK_RECIPIENTS,
        distinct_to: MAX_BULK_RECIPIENTS,
        first: 0,
        last: 99_999,
      });
      // The ids (made by the service, messageIds) as the database reads them: the request's millisecond, then
      // the recipient index (20 bits around the version and variant digits), so they ascend with it.
      const ids = await query<{ other_time: number; other_index: number; not_ascending: number }>(
        t,
        `SELECT count(*) FILTER (WHERE substr(hex, 1, 12) <> lpad(to_hex((extract(epoch FROM request_time) * 1000)::bigint), 12, '0'))::int AS other_time,
                count(*) FILTER (WHERE ((('x' || substr(hex, 14, 3))::bit(12)::int << 8) | ('x' || substr(hex, 18, 2))::bit(8)::int) <> recipient_index
                                    OR substr(hex, 13, 1) <> '7' OR substr(hex, 17, 1) <> '8')::int AS other_index,
                count(*) FILTER (WHERE id <= before)::int AS not_ascending
           FROM (SELECT id, replace(id::text, '-', '') AS hex, request_time, recipient_index,
                        lag(id) OVER (ORDER BY recipient_index) AS before
                   FROM messages WHERE request_id = $1) AS m`,
        [full.body.requestId],
      );
      expect(ids[0]).toEqual({ other_time: 0, other_index: 0, not_ascending: 0 });
    },
    VOLUME_TIMEOUT_MS,
  );
});

describe('bulk progress while the dispatcher works', () => {
  let t: TestApp;
  let project: SendingProject;
  let embedded: EmbeddedSimulator;

  beforeAll(async () => {
    t = await startTestApp({ env: FAST_DISPATCH });
    project = await sendingProject(t, 'Bulk progress');
    embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    embedded.simulator.sens.setKnobs({ outcomes: { delivered: 1, failed: 0 }, reportDelayMs: 0 });
  });

  it('counts every accepted row until each is delivered or failed, and agrees with the stored states', async () => {
    // Half the reports fail; over 300 recipients both halves are non-empty (the chance otherwise is 2^-299).
    embedded.simulator.sens.setKnobs({ outcomes: { delivered: 0.5, failed: 0.5 } });
    const csv = Buffer.concat([numbersCsv(300), Buffer.from('not-a-number\n010-12\n')]);
    const sent = await postBulk(t, project, bulkFields(), csv).expect(202);
    expect(sent.body).toMatchObject({ accepted: 300, rejected: 2 });
    expect(sent.body.rejectedRows.map((row: { line: number }) => row.line)).toEqual([302, 303]);
    const requestId = sent.body.requestId as string;
    const progressOf = async (): Promise<RequestProgress> =>
      (await t.http.get(`/v1/requests/${requestId}/progress`).set(project.auth).expect(200)).body;

    const seen: RequestProgress[] = [];
    const final = await waitFor(async () => {
      const progress = await progressOf();
      seen.push(progress);
      // Every snapshot accounts for every stored row exactly once.
      const {
        total,
        accepted,
        rejected,
        reserved,
        queued,
        sending,
        sent: out,
        delivered,
        failed,
        canceled,
      } = progress;
      expect([total, accepted, rejected]).toEqual([302, 300, 2]);
      expect(reserved + queued + sending + out + delivered + failed + canceled).toBe(accepted);
      return progress.done ? progress : undefined;
    }, 60_000);

    expect(final.delivered).toBeGreaterThan(0);
    expect(final.failed).toBeGreaterThan(0);
    expect(final.delivered + final.failed).toBe(300);
    expect([final.reserved, final.queued, final.sending, final.sent, final.canceled]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    // The counts are the messages' own states, not a tally kept beside them.
    const states = await query<{ state: string; n: number }>(
      t,
      `SELECT state, count(*)::int AS n FROM messages WHERE request_id = $1 GROUP BY state ORDER BY state`,
      [requestId],
    );
    expect(Object.fromEntries(states.map((row) => [row.state, row.n]))).toEqual({
      DELIVERED: final.delivered,
      FAILED: final.failed,
      REJECTED: 2,
    });
    // The request was seen before it was done (queued or on its way), and the counts only moved forward.
    expect(seen[0]!.done).toBe(false);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.delivered + seen[i]!.failed).toBeGreaterThanOrEqual(
        seen[i - 1]!.delivered + seen[i - 1]!.failed,
      );
    }
  });
});
