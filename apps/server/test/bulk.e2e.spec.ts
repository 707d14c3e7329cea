import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bulkFields, postBulk } from './bulk-support';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

describe('bulk sends by CSV', () => {
  let t: TestApp;
  let project: SendingProject;
  let adProject: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    project = await sendingProject(t, 'Bulk');
    adProject = await sendingProject(t, 'Bulk AD', { optOut: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const storedRows = (requestId: string) =>
    query<{
      recipient_index: number;
      to_number: string;
      subject: string | null;
      content: string;
      state: string;
    }>(
      t,
      `SELECT recipient_index, to_number, subject, content, state FROM messages WHERE request_id = $1
        ORDER BY recipient_index`,
      [requestId],
    );
  const requestCount = async (projectId: string): Promise<number> =>
    (
      await query<{ n: number }>(t, `SELECT count(*)::int AS n FROM send_requests WHERE project_id = $1`, [
        projectId,
      ])
    )[0]!.n;

  it('serves a CSV template with the header and an example row', async () => {
    const template = await t.http.get('/v1/messages/bulk/template').set(project.auth).expect(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    const [header, example] = template.text.split('\r\n');
    expect(header).toBe('to,subject,content');
    expect(example).toMatch(/^010-1234-5678,/);
    // The template itself is a valid upload.
    const sent = await postBulk(t, project, bulkFields(), template.text).expect(202);
    expect(sent.body).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('takes BOM, CRLF, quoted commas/quotes/newlines and empty lines; bad rows are refused by line', async () => {
    const csv =
      '\ufeffContent,TO,subject\r\n' +
      '"안녕, 반가워요",010-1000-0001,\r\n' +
      '\r\n' +
      '"그는 ""네""라고\r\n말했다",010-1000-0002,제목\r\n' +
      ',not-a-number,\r\n' +
      ',010-1000-0003\r\n' +
      ',+82 10 1000 0004,\r\n' +
      `${'가'.repeat(1001)},010-1000-0005,\r\n` +
      ',010-1000-0006,\r\n';
    const sent = await postBulk(t, project, bulkFields(), csv).expect(202);
    expect(sent.body).toMatchObject({
      requestId: expect.any(String),
      requestTime: expect.any(String),
      reservationId: null,
      sendTime: expect.any(String),
      accepted: 4,
      rejected: 3,
      rejectedRowsTruncated: false,
    });
    expect(
      sent.body.rejectedRows.map((r: { line: number; code: string; field: string }) => [
        r.line,
        r.code,
        r.field,
      ]),
    ).toEqual([
      [6, 'INVALID_PHONE_NUMBER', 'to'],
      [7, 'CSV_FIELD_COUNT', 'recipients'],
      [9, 'CONTENT_TOO_LONG', 'content'],
    ]);
    expect(sent.body.rejectedRows[0]).toMatchObject({
      to: 'not-a-number',
      message: expect.stringMatching(/^line 6: /),
    });

    // Rows the rules judged are stored in file order (refused ones closed); an unreadable row is not stored.
    const rows = await storedRows(sent.body.requestId);
    expect(rows.map((r) => [r.recipient_index, r.to_number, r.state])).toEqual([
      [0, '01010000001', 'QUEUED'],
      [1, '01010000002', 'QUEUED'],
      [2, 'not-a-number', 'REJECTED'],
      [3, '01010000004', 'QUEUED'],
      [4, '010-1000-0005', 'REJECTED'],
      [5, '01010000006', 'QUEUED'],
    ]);
    expect(rows[0]!.content).toBe('안녕, 반가워요');
    expect(rows[1]).toMatchObject({ subject: '제목', content: '그는 "네"라고\r\n말했다' });
    expect(rows[5]!.content).toBe('안녕하세요');

    const view = await t.http.get(`/v1/requests/${sent.body.requestId}`).set(project.auth).expect(200);
    expect(view.body).toMatchObject({ acceptedCount: 4, rejectedCount: 3 });
  });

  it("reads the seed's newline-separated list of numbers without a header", async () => {
    const sent = await postBulk(
      t,
      project,
      bulkFields(),
      '010-2000-0001\n01020000002\n\n010 2000 0003\n',
    ).expect(202);
    expect(sent.body).toMatchObject({ accepted: 3, rejected: 0, rejectedRows: [] });
    expect((await storedRows(sent.body.requestId)).map((r) => r.to_number)).toEqual([
      '01020000001',
      '01020000002',
      '01020000003',
    ]);
  });

  it('refuses, storing nothing: parts out of order, no data rows, a header it cannot read', async () => {
    const before = await requestCount(project.projectId);
    const csv = 'to\n010-3000-0001\n';
    const outOfOrder = await postBulk(t, project, bulkFields(), csv, { fileFirst: true }).expect(400);
    expect(outOfOrder.body).toMatchObject({ code: 'REQUEST_PART_REQUIRED', field: 'request' });

    for (const empty of ['', '\ufeff', 'to,content\r\n', 'to\n\n\n']) {
      const refused = await postBulk(t, project, bulkFields(), empty).expect(422);
      expect(refused.body).toMatchObject({ code: 'NO_RECIPIENTS', field: 'recipients' });
    }
    const header = await postBulk(t, project, bulkFields(), 'phone,text\n010-3000-0001,hi\n').expect(400);
    expect(header.body).toMatchObject({ code: 'CSV_HEADER_REQUIRED', field: 'recipients' });
    const unknown = await postBulk(t, project, bulkFields(), 'to,contnet\n010-3000-0001,hi\n').expect(400);
    expect(unknown.body.code).toBe('CSV_UNKNOWN_COLUMN');

    const noFile = await t.http
      .post('/v1/messages/bulk')
      .set(project.auth)
      .field('request', JSON.stringify(bulkFields()))
      .expect(400);
    expect(noFile.body).toMatchObject({ code: 'REQUIRED', field: 'recipients' });
    const json = await t.http.post('/v1/messages/bulk').set(project.auth).send(bulkFields()).expect(400);
    expect(json.body.code).toBe('MULTIPART_REQUIRED');
    expect(await requestCount(project.projectId)).toBe(before);
  });

  it('refuses the whole request with the JSON send codes, storing nothing', async () => {
    const before = await requestCount(project.projectId);
    const csv = 'to\n010-4000-0001\n010-4000-0002\n';
    const cases: [Record<string, unknown>, number, string, string][] = [
      [bulkFields({ from: '0299998888' }), 422, 'CALLING_NUMBER_NOT_REGISTERED', 'from'],
      [bulkFields({ contentType: 'AD' }), 422, 'AD_OPT_OUT_SERVICE_REQUIRED', 'contentType'],
      [bulkFields({ reserveTime: '2026-03-01 10:00' }), 422, 'RESERVE_TIME_IN_PAST', 'reserveTime'],
      [bulkFields({ reserveTime: 'tomorrow' }), 400, 'INVALID_FORMAT', 'reserveTime'],
      [bulkFields({ from: undefined }), 400, 'REQUIRED', 'from'],
      [bulkFields({ messages: [{ to: '01011112222' }] }), 400, 'UNKNOWN_FIELD', 'messages'],
      [bulkFields({ scheduleCode: 'weekly' }), 400, 'UNKNOWN_FIELD', 'scheduleCode'],
    ];
    for (const [fields, status, code, field] of cases) {
      const refused = await postBulk(t, project, fields, csv);
      expect([refused.status, refused.body.code, refused.body.field]).toEqual([status, code, field]);
    }
    const notJson = await t.http
      .post('/v1/messages/bulk')
      .set(project.auth)
      .field('request', '{"from":')
      .attach('recipients', Buffer.from(csv), 'r.csv')
      .expect(400);
    expect(notJson.body).toMatchObject({ code: 'INVALID_JSON', field: 'request' });
    expect(await requestCount(project.projectId)).toBe(before);
  });

  it('an AD bulk send is labelled, and recipients on the 080 list are BLOCKED by line', async () => {
    await t.http
      .post('/v1/opt-out/blocklist')
      .set(adProject.auth)
      .send({ number: '010-5000-0002' })
      .expect(201);
    const sent = await postBulk(
      t,
      adProject,
      bulkFields({ contentType: 'AD' }),
      'to\n010-5000-0001\n010-5000-0002\n010-5000-0003\n',
    ).expect(202);
    expect(sent.body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(sent.body.rejectedRows).toEqual([
      expect.objectContaining({ line: 3, to: '010-5000-0002', code: 'BLOCKED', field: 'to' }),
    ]);
    const rows = await storedRows(sent.body.requestId);
    expect(rows[0]!.content).toMatch(/^\(광고\)/);
  });

  it('replays an Idempotency-Key for the same parts and refuses it for another file', async () => {
    const csv = 'to,content\n010-6000-0001,하나\n010-6000-0002,둘\n';
    const first = await postBulk(t, project, bulkFields(), csv, { idempotencyKey: 'bulk-1' }).expect(202);
    const again = await postBulk(t, project, bulkFields(), csv, { idempotencyKey: 'bulk-1' }).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await postBulk(t, project, bulkFields(), `${csv}010-6000-0003,셋\n`, {
      idempotencyKey: 'bulk-1',
    }).expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await storedRows(first.body.requestId)).toHaveLength(2);
    const requests = await query<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM send_requests WHERE project_id = $1 AND idempotency_key = 'bulk-1'`,
      [project.projectId],
    );
    expect(requests[0]!.n).toBe(1);
  });

  it('shows the progress of any request, and 404 for unknown or other projects’ ids', async () => {
    const sent = await postBulk(t, project, bulkFields(), 'to\n010-7000-0001\n010-7000-0002\nbad\n').expect(
      202,
    );
    const progress = await t.http
      .get(`/v1/requests/${sent.body.requestId}/progress`)
      .set(project.auth)
      .expect(200);
    expect(progress.body).toEqual({
      requestId: sent.body.requestId,
      total: 3,
      accepted: 2,
      rejected: 1,
      reserved: 0,
      queued: 2,
      sending: 0,
      sent: 0,
      delivered: 0,
      failed: 0,
      canceled: 0,
      done: false,
    });
    const json = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: [{ to: '010-7000-0003' }] }))
      .expect(202);
    const jsonProgress = await t.http
      .get(`/v1/requests/${json.body.requestId}/progress`)
      .set(project.auth)
      .expect(200);
    expect(jsonProgress.body).toMatchObject({ total: 1, accepted: 1, queued: 1, done: false });

    await t.http.get(`/v1/requests/${sent.body.requestId}/progress`).set(adProject.auth).expect(404);
    await t.http
      .get('/v1/requests/00000000-0000-4000-8000-000000000000/progress')
      .set(project.auth)
      .expect(404);
  });
});
