import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, SendingProject } from './messages-fixtures';
import { startTestApp, TestApp } from './test-app';

/**
 * The send path plans against cached reads of API keys and calling numbers (MUNJA_AUTH_CACHE_MS, a minute here
 * so nothing expires during the test) and stores many sends per statement. What it must still guarantee: a
 * change committed by anyone — here written straight to the database, as another server process would — stops
 * the very next send; concurrent sends are each stored once; an Idempotency-Key still stores one request.
 */
describe('storing sends: group commit over cached keys and calling numbers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_DISPATCH, MUNJA_AUTH_CACHE_MS: '60000' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (project: SendingProject, body: object = sendBody(), headers: Record<string, string> = {}) =>
    t.http
      .post('/v1/messages')
      .set({ ...project.auth, ...headers })
      .send(body);
  const stored = async (project: SendingProject) => {
    const [row] = await query<{ requests: number; messages: number }>(
      t,
      `SELECT (SELECT count(*)::int FROM send_requests WHERE project_id = $1) AS requests,
              (SELECT count(*)::int FROM messages WHERE project_id = $1) AS messages`,
      [project.projectId],
    );
    return row!;
  };

  it('refuses the next send once another process rejected the calling number, storing nothing', async () => {
    const p = await sendingProject(t, 'Rejected elsewhere');
    await send(p).expect(202); // the approved number is now cached
    await query(t, `UPDATE calling_numbers SET status = 'REJECTED' WHERE project_id = $1`, [p.projectId]);
    const refused = await send(p).expect(422);
    expect(refused.body).toMatchObject({ code: 'CALLING_NUMBER_NOT_APPROVED', field: 'from' });
    expect(await stored(p)).toEqual({ requests: 1, messages: 1 });
    // and a dry run, which reads afresh, agrees
    await t.http.post('/v1/messages?dryRun=true').set(p.auth).send(sendBody()).expect(422);
  });

  it('answers 401 to the next send of a key another process revoked, storing nothing', async () => {
    const p = await sendingProject(t, 'Revoked elsewhere');
    await send(p).expect(202); // the key is now cached
    await query(t, `UPDATE api_keys SET revoked_at = now() WHERE project_id = $1`, [p.projectId]);
    const refused = await send(p).expect(401);
    expect(refused.body).toMatchObject({ code: 'INVALID_API_KEY', field: 'Authorization' });
    expect(await stored(p)).toEqual({ requests: 1, messages: 1 });
    // the send path dropped the cached key: every route now refuses it
    await t.http.get('/v1/project').set(p.auth).expect(401);
  });

  it('refuses a key revoked through the API at once on every route', async () => {
    const p = await sendingProject(t, 'Revoked here');
    await t.http.get('/v1/project').set(p.auth).expect(200);
    const [key] = await query<{ id: string }>(t, `SELECT id FROM api_keys WHERE project_id = $1`, [
      p.projectId,
    ]);
    await t.http
      .delete(`/v1/projects/${p.projectId}/keys/${key!.id}`)
      .set(t.bearer(t.operatorKey))
      .expect(200);
    await t.http.get('/v1/project').set(p.auth).expect(401);
    await send(p).expect(401);
  });

  it('sends a newly approved calling number at once (the approval forgets the cached numbers)', async () => {
    const p = await sendingProject(t, 'Second number');
    await send(p).expect(202);
    const registered = await t.http
      .post('/v1/calling-numbers')
      .set(p.auth)
      .send({ number: '031-222-3333', method: 'DOCUMENT' })
      .expect(201);
    await send(p, sendBody({ from: '0312223333' })).expect(422);
    await t.http
      .post(`/v1/projects/${p.projectId}/calling-numbers/${registered.body.id}/approve`)
      .set(t.bearer(t.operatorKey))
      .expect(200);
    await send(p, sendBody({ from: '0312223333' })).expect(202);
  });

  it('stores each of 200 concurrent single sends once, with its own answer', async () => {
    const p = await sendingProject(t, 'Concurrent');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(p, sendBody({ messages: [{ to: `0105555${String(i).padStart(4, '0')}` }] })).expect(202),
      ),
    );
    const ids = answers.map((a) => a.body.requestId as string);
    expect(new Set(ids).size).toBe(200);
    expect(await stored(p)).toEqual({ requests: 200, messages: 200 });
    const rows = await query<{ request_id: string; to_number: string }>(
      t,
      `SELECT request_id, to_number FROM messages WHERE project_id = $1`,
      [p.projectId],
    );
    // every answer's request holds exactly the recipient that request asked for
    const byRequest = new Map(rows.map((r) => [r.request_id, r.to_number]));
    ids.forEach((id, i) => expect(byRequest.get(id)).toBe(`0105555${String(i).padStart(4, '0')}`));
  });

  it('stores one request for 20 concurrent sends with one Idempotency-Key; all answer with its id', async () => {
    const p = await sendingProject(t, 'Same key');
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => send(p, sendBody(), { 'Idempotency-Key': 'order-42' }).expect(202)),
    );
    expect(new Set(answers.map((a) => a.body.requestId)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await stored(p)).toEqual({ requests: 1, messages: 1 });
  });

  it('refuses only the refused send of a burst: the others of the same statement are stored', async () => {
    const good = await sendingProject(t, 'Burst good');
    const bad = await sendingProject(t, 'Burst bad');
    await send(bad).expect(202);
    await query(t, `UPDATE calling_numbers SET status = 'REJECTED' WHERE project_id = $1`, [bad.projectId]);
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, () => send(good)),
      send(bad),
      ...Array.from({ length: 30 }, () => send(good)),
    ]);
    expect(answers.map((a) => a.status).filter((s) => s !== 202)).toEqual([422]);
    expect(await stored(good)).toEqual({ requests: 60, messages: 60 });
    expect(await stored(bad)).toEqual({ requests: 1, messages: 1 });
  });
});
