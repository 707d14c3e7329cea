// POST /v1/messages is served by a handler of its own (src/messages/send-route.ts), not Nest's request pipeline:
// for a table of requests — sends, dry runs, idempotency, every kind of refusal — it answers exactly what the
// route answers through Nest (an app built with `directSendRoute: false`), status, body and headers alike.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { AuthGuard } from '../src/auth/auth.guard';
import {
  CALLING_NUMBER,
  NO_DISPATCH,
  sendBody,
  sendingProject,
  type SendingProject,
} from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Headers that must agree (the date, connection and length aside: the ids in a body are random). */
const COMPARED_HEADERS = [
  'content-type',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'idempotent-replayed',
];

interface Side {
  t: TestApp;
  p: SendingProject;
  other: SendingProject;
}

interface Case {
  name: string;
  query?: string;
  /** a JSON body, or a raw string sent with `type` */
  body?: unknown;
  raw?: string;
  type?: string;
  auth?: 'project' | 'none' | 'wrong' | 'operator';
  headers?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'a single send', body: sendBody() },
  {
    name: 'two recipients, one refused',
    body: sendBody({ messages: [{ to: '01011112222' }, { to: '123' }] }),
  },
  { name: 'a dry run', query: '?dryRun=true', body: sendBody() },
  { name: 'an empty dryRun flag', query: '?dryRun', body: sendBody() },
  { name: 'dryRun=false', query: '?dryRun=false', body: sendBody() },
  { name: 'a bad dryRun flag', query: '?dryRun=maybe', body: sendBody() },
  { name: 'a repeated dryRun flag', query: '?dryRun=true&dryRun=false', body: sendBody() },
  {
    name: 'a reservation',
    body: sendBody({ reserveTime: '2026-03-05 14:30', reserveTimeZone: 'Asia/Seoul' }),
  },
  { name: 'an LMS with a subject', body: sendBody({ type: 'LMS', subject: '공지', content: '내일 점검' }) },
  { name: 'a null optional field', body: sendBody({ reserveTime: null }) },
  { name: 'no fields', body: {} },
  { name: 'an unknown field', body: sendBody({ foo: 1 }) },
  { name: 'a numeric to', body: sendBody({ messages: [{ to: 1012345678 }] }) },
  { name: 'a numeric countryCode', body: sendBody({ countryCode: 82 }) },
  { name: 'a bad fileId', body: sendBody({ files: [{ fileId: 'x' }] }) },
  {
    name: 'an unknown fileId',
    body: sendBody({ type: 'MMS', files: [{ fileId: '00000000-0000-4000-8000-000000000000' }] }),
  },
  { name: 'empty content', body: sendBody({ content: '' }) },
  { name: 'a NUL character', body: sendBody({ content: 'a\u0000b' }) },
  { name: 'a NUL character in a dry run', query: '?dryRun=true', body: sendBody({ subject: '\u0000' }) },
  { name: 'an unencodable character', body: sendBody({ content: '😀' }) },
  { name: 'an unregistered from', body: sendBody({ from: '031-111-2222' }) },
  { name: 'a past reservation', body: sendBody({ reserveTime: '2026-03-02 09:59' }) },
  { name: 'AD without an 080 service', body: sendBody({ contentType: 'AD' }) },
  { name: 'an unknown schedule', body: sendBody({ scheduleCode: 'nope' }) },
  { name: 'no recipient can be sent to', body: sendBody({ messages: [{ to: '123' }] }) },
  { name: 'bad JSON', raw: '{"from":', type: 'application/json' },
  { name: 'JSON as text/plain', raw: JSON.stringify(sendBody()), type: 'text/plain' },
  { name: 'a form', raw: 'from=0212345678', type: 'application/x-www-form-urlencoded' },
  { name: 'JSON nested too deep', raw: `${'['.repeat(40)}${']'.repeat(40)}`, type: 'application/json' },
  { name: 'no key', body: sendBody(), auth: 'none' },
  { name: 'a wrong key', body: sendBody(), auth: 'wrong' },
  { name: 'the operator key', body: sendBody(), auth: 'operator' },
  { name: 'a bad Idempotency-Key', body: sendBody(), headers: { 'Idempotency-Key': 'has space' } },
  { name: 'a new Idempotency-Key', body: sendBody(), headers: { 'Idempotency-Key': 'key-1' } },
  { name: 'the same key again (replayed)', body: sendBody(), headers: { 'Idempotency-Key': 'key-1' } },
  {
    name: 'the same key, another body (409)',
    body: sendBody({ content: '다른 내용' }),
    headers: { 'Idempotency-Key': 'key-1' },
  },
  {
    name: 'a key with a dry run',
    query: '?dryRun=true',
    body: sendBody(),
    headers: { 'Idempotency-Key': 'key-2' },
  },
];

async function answer(side: Side, c: Case) {
  const auth =
    c.auth === 'none'
      ? {}
      : c.auth === 'wrong'
        ? side.t.bearer('mk_live_wrong')
        : c.auth === 'operator'
          ? side.t.bearer(side.t.operatorKey)
          : side.p.auth;
  let req = request(side.t.url)
    .post(`/v1/messages${c.query ?? ''}`)
    .set(auth)
    .set(c.headers ?? {});
  if (c.raw !== undefined) req = req.set('Content-Type', c.type!).send(c.raw);
  else req = req.send(c.body as object);
  const response = await req;
  // the request and message ids are random; times come from each app's TestClock (the same)
  const body = JSON.parse(JSON.stringify(response.body).replace(UUID, '<uuid>'));
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, response.headers[name]]));
  // the seconds left in the window may tick between the two apps' requests (compared apart, within a second)
  headers['ratelimit-reset'] = headers['ratelimit-reset'] === undefined ? undefined : 'set';
  const retryAfter = headers['retry-after'] === undefined ? undefined : Number(headers['retry-after']);
  if (retryAfter !== undefined) headers['retry-after'] = 'set';
  if (typeof body.message === 'string')
    body.message = body.message.replace(/retry in .+$/, 'retry in <time left>');
  return { status: response.status, body, headers, retryAfter };
}

describe('POST /v1/messages served directly', () => {
  let direct: Side;
  let nest: Side;

  const side = async (directSendRoute: boolean): Promise<Side> => {
    const t = await startTestApp({ env: NO_DISPATCH, directSendRoute });
    return { t, p: await sendingProject(t, 'Sender'), other: await sendingProject(t, 'Other') };
  };

  beforeAll(async () => {
    [direct, nest] = await Promise.all([side(true), side(false)]);
  });

  afterAll(async () => {
    await Promise.all([direct?.t.close(), nest?.t.close()]);
  });

  it('answers every request of the table as the route through Nest does', async () => {
    const differences: string[] = [];
    for (const c of CASES) {
      // one at a time, in order: the idempotency cases build on each other
      const [a, b] = [await answer(direct, c), await answer(nest, c)];
      try {
        expect(a).toEqual(b);
      } catch {
        differences.push(`${c.name}: direct ${JSON.stringify(a)} / Nest ${JSON.stringify(b)}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('covers the answers the route gives (a table that tested only 202s would prove little)', async () => {
    const statuses = new Set<number>();
    for (const c of CASES) statuses.add((await answer(direct, c)).status);
    expect([...statuses].sort()).toEqual([200, 202, 400, 401, 403, 409, 415, 422]);
  });

  it('takes the send past Nest: the guard’s check runs, not the guard', async () => {
    const guard = direct.t.app.get(AuthGuard);
    const check = jest.spyOn(guard, 'principalOf');
    const activate = jest.spyOn(guard, 'canActivate');
    try {
      await request(direct.t.url).post('/v1/messages').set(direct.p.auth).send(sendBody()).expect(202);
      expect(check).toHaveBeenCalledTimes(1);
      expect(activate).not.toHaveBeenCalled();
      // any other route still goes through Nest's pipeline and its guard
      await direct.t.http.get('/v1/messages?limit=1').set(direct.p.auth).expect(200);
      expect(activate).toHaveBeenCalledTimes(1);
    } finally {
      check.mockRestore();
      activate.mockRestore();
    }
  });

  it('still counts against the rate limit and stores the send in the same project', async () => {
    const sent = await request(direct.t.url)
      .post('/v1/messages')
      .set(direct.other.auth)
      .send(sendBody({ from: CALLING_NUMBER }))
      .expect(202);
    expect(Number(sent.headers['ratelimit-remaining'])).toBeLessThan(Number(sent.headers['ratelimit-limit']));
    const stored = await direct.t.http
      .get(`/v1/requests/${sent.body.requestId}`)
      .set(direct.other.auth)
      .expect(200);
    expect(stored.body.messages).toHaveLength(1);
    await direct.t.http.get(`/v1/requests/${sent.body.requestId}`).set(direct.p.auth).expect(404);
  });
});

describe('POST /v1/messages served directly, over its limits', () => {
  const env = { ...NO_DISPATCH, MUNJA_RATE_LIMIT: '3', MUNJA_AUTH_FAILURE_LIMIT: '2' };
  let direct: Side;
  let nest: Side;

  beforeAll(async () => {
    const side = async (directSendRoute: boolean): Promise<Side> => {
      const t = await startTestApp({ env, directSendRoute });
      // the operator key's set-up requests use up its budget of 3; the project's key has used 1
      const p = await sendingProject(t, 'Sender');
      return { t, p, other: p };
    };
    [direct, nest] = await Promise.all([side(true), side(false)]);
  });

  afterAll(async () => {
    await Promise.all([direct?.t.close(), nest?.t.close()]);
  });

  it('answers 429 with Retry-After and the RateLimit headers as the route through Nest does', async () => {
    const cases: Case[] = [
      { name: 'a send', body: sendBody() },
      { name: 'a send using the last of the budget', body: sendBody() },
      { name: 'a send over the key budget', body: sendBody() },
      { name: 'a wrong key', body: sendBody(), auth: 'wrong' },
      { name: 'a wrong key again', body: sendBody(), auth: 'wrong' },
      { name: 'a wrong key over the failure budget', body: sendBody(), auth: 'wrong' },
    ];
    const answers = [];
    for (const c of cases) {
      const [{ retryAfter: after, ...a }, { retryAfter: nestAfter, ...b }] = [
        await answer(direct, c),
        await answer(nest, c),
      ];
      expect({ name: c.name, ...a }).toEqual({ name: c.name, ...b });
      // the same window's seconds left, read a moment apart
      if (after !== undefined || nestAfter !== undefined)
        expect(Math.abs(after! - nestAfter!)).toBeLessThanOrEqual(1);
      answers.push({ ...a, retryAfter: after });
    }
    expect(answers.map((a) => a.status)).toContain(429);
    const limited = answers.find((a) => a.status === 429);
    expect(limited?.retryAfter).toBeGreaterThan(0);
    expect(limited?.retryAfter).toBeLessThanOrEqual(60);
  });
});
