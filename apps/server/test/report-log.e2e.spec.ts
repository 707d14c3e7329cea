import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeliveryReport } from '@munja/provider-kit';
import { exactTime } from '../src/dispatch/message-key';
import { CLOSE_BY_REPORTS, closingValues } from '../src/lifecycle/report-close';
import { ReportStore, reportVendorId } from '../src/reports/report-store';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { planNodes, rootPlan } from './support/query-plan';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

/**
 * The delivery report log (`delivery_reports`, migration 1765300000000): a matched report is kept without the
 * vendor's raw payload (its columns say what it said), an unmatched one with it; a message's report timeline
 * is read through the message_id index, not by scanning the log.
 */
describe('the delivery report log', () => {
  let t: TestApp;
  let project: SendingProject;
  const clock = new TestClock('2026-03-02T01:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({ clock, env: NO_DISPATCH });
    project = await sendingProject(t, 'Report log');
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = (vendorMessageId: string): DeliveryReport => ({
    pluginId: 'sens',
    vendorMessageId,
    status: 'DELIVERED',
    vendorCode: '0',
    vendorMessage: 'success',
    telco: 'SKT',
    reportedAt: clock.now(),
    raw: { messageId: vendorMessageId, content: 'the whole message, as the vendor repeats it' },
  });

  /** A message sent to `to`, as if SENS took it as `vendorMessageId`: the awaiting row a report is matched by. */
  const awaitingMessage = async (to: string, vendorMessageId: string) => {
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to }] }))
      .expect(202);
    const message = (
      await query<{ id: string; request_time: string }>(
        t,
        `SELECT id, ${exactTime('request_time')} AS request_time FROM messages WHERE request_id = $1`,
        [accepted.body.requestId],
      )
    )[0]!;
    await query(
      t,
      `INSERT INTO awaiting_reports (plugin_id, vendor_message_id, message_id, request_time, project_id, sent_at)
       VALUES ('sens', $1, $2, $3, $4, $5)`,
      [vendorMessageId, message.id, message.request_time, project.projectId, clock.now()],
    );
    return message;
  };

  it('keeps the raw payload of an unmatched report only, and shows the matched one in the timeline', async () => {
    const message = await awaitingMessage('01012345678', 'log-matched');

    const applied = await t.app
      .get(ReportStore)
      .apply([report('log-matched'), report('log-unknown')], 'polling', clock.now());
    expect(applied).toEqual({ stored: 2, closed: 1, unknown: 1 });

    const rows = await query<{
      vendor_message_id: string;
      stored_vendor_id: string | null;
      message_id: string | null;
      has_raw: boolean;
    }>(
      t,
      `SELECT ${reportVendorId('d', 'm')} AS vendor_message_id, d.vendor_message_id AS stored_vendor_id,
              d.message_id, d.raw IS NOT NULL AS has_raw
         FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id
        WHERE ${reportVendorId('d', 'm')} IN ('log-matched', 'log-unknown') ORDER BY 1`,
    );
    // the report that closed its message leaves the vendor id to the message row (migration 1766000000003)
    expect(rows).toEqual([
      { vendor_message_id: 'log-matched', stored_vendor_id: null, message_id: message.id, has_raw: false },
      { vendor_message_id: 'log-unknown', stored_vendor_id: 'log-unknown', message_id: null, has_raw: true },
    ]);

    const timeline = await t.http.get(`/v1/messages/${message.id}/reports`).set(project.auth).expect(200);
    expect(timeline.body.items).toEqual([
      expect.objectContaining({ pluginId: 'sens', status: 'DELIVERED', vendorCode: '0', telco: 'SKT' }),
    ]);
  });

  it('matches a polled report to the awaiting row the poller asked about, and no other report by it', async () => {
    const message = await awaitingMessage('01012345679', 'log-asked');
    const asked = new Map([
      [message.id, { requestTime: message.request_time, pluginId: 'sens', vendorMessageId: 'log-asked' }],
    ]);
    // the same ref from another plugin, and another vendor id: neither answers for the row asked about
    const strays: DeliveryReport[] = [
      { ...report('log-asked'), pluginId: 'omni', ref: message.id },
      { ...report('log-stray'), ref: message.id },
    ];
    const applied = await t.app
      .get(ReportStore)
      .apply([{ ...report('log-asked'), ref: message.id }, ...strays], 'polling', clock.now(), asked);
    // the stray SENS report finds the message by its ref in the database (already closed: it moves nothing)
    expect(applied).toEqual({ stored: 3, closed: 1, unknown: 1 });
    const rows = await query<{ plugin_id: string; vendor_message_id: string; message_id: string | null }>(
      t,
      `SELECT d.plugin_id, ${reportVendorId('d', 'm')} AS vendor_message_id, d.message_id
         FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id
        WHERE d.ref = $1 OR d.message_id = $1::uuid ORDER BY d.id`,
      [message.id],
    );
    expect(rows).toEqual([
      { plugin_id: 'sens', vendor_message_id: 'log-asked', message_id: message.id },
      { plugin_id: 'omni', vendor_message_id: 'log-asked', message_id: null },
      { plugin_id: 'sens', vendor_message_id: 'log-stray', message_id: message.id },
    ]);
    const [closed] = await query<{ state: string; vendor_message_id: string }>(
      t,
      `SELECT state, vendor_message_id FROM messages WHERE id = $1`,
      [message.id],
    );
    expect(closed).toEqual({ state: 'DELIVERED', vendor_message_id: 'log-asked' });
  });

  it('closes a polled message with the send time the poller read (exact), or the awaiting row holds', async () => {
    const sentAt = '2026-03-02T01:02:03.456789Z';
    const sendTimeOf = async (id: string) =>
      (
        await query<{ sent_at: string }>(
          t,
          `SELECT ${exactTime('sent_at')} AS sent_at FROM messages WHERE id = $1`,
          [id],
        )
      )[0]!.sent_at;
    // asked: the poller's read travels with the answer; the awaiting row is gone, so no lookup could find it
    const asked = await awaitingMessage('01012345680', 'log-sent-asked');
    await query(t, `DELETE FROM awaiting_reports WHERE vendor_message_id = 'log-sent-asked'`);
    await t.app
      .get(ReportStore)
      .apply(
        [{ ...report('log-sent-asked'), ref: asked.id }],
        'polling',
        clock.now(),
        new Map([
          [
            asked.id,
            { requestTime: asked.request_time, pluginId: 'sens', vendorMessageId: 'log-sent-asked', sentAt },
          ],
        ]),
      );
    expect(await sendTimeOf(asked.id)).toBe('2026-03-02T01:02:03.456789Z');
    // not asked (a webhook's report): looked up in the awaiting row, to the microsecond
    const pushed = await awaitingMessage('01012345681', 'log-sent-looked-up');
    await query(
      t,
      `UPDATE awaiting_reports SET sent_at = $1 WHERE vendor_message_id = 'log-sent-looked-up'`,
      [sentAt],
    );
    await t.app.get(ReportStore).apply([report('log-sent-looked-up')], 'webhook', clock.now());
    expect(await sendTimeOf(pushed.id)).toBe(sentAt);
  });

  it("looks a webhook report's send time up once a message, not once for each column that takes it", async () => {
    const message = await awaitingMessage('01012345682', 'log-sent-once');
    const values = closingValues(
      [
        {
          message: { id: message.id, requestTime: message.request_time },
          state: 'DELIVERED',
          code: '0',
          text: null,
          telco: null,
          completedAt: clock.now(),
          vendorMessageId: 'log-sent-once',
          sentAt: null,
        },
      ],
      clock.now(),
    );
    const plan = rootPlan(await query(t, `EXPLAIN (FORMAT JSON) ${CLOSE_BY_REPORTS}`, values));
    const probes = planNodes(plan).filter(
      (node) => node['Relation Name'] === 'awaiting_reports' && node['Node Type'] !== 'ModifyTable',
    );
    // one for the send time (sent_at and complete_time both take it), one for the awaiting row's delete
    expect(probes).toHaveLength(2);
  });

  it("reads one message's timeline through its index, not the whole log", async () => {
    await query(
      t,
      `INSERT INTO delivery_reports (plugin_id, vendor_message_id, status, reported_at, received_at, source, message_id)
       SELECT 'sens', 'log-' || i, 'DELIVERED', $1, $1, 'polling', gen_random_uuid()
         FROM generate_series(1, 5000) AS i`,
      [clock.now()],
    );
    await query(t, `ANALYZE delivery_reports`);
    const plan = rootPlan(
      await query(
        t,
        `EXPLAIN (FORMAT JSON) SELECT status FROM delivery_reports WHERE message_id = $1 ORDER BY received_at, id`,
        ['00000000-0000-7000-8000-000000000001'],
      ),
    );
    const scans = planNodes(plan).filter((node) => node['Relation Name'] === 'delivery_reports');
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    const indexes = planNodes(plan).map((node) => node['Index Name']);
    expect(indexes).toContain('delivery_reports_message');
  });
});
