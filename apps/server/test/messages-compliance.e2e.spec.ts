import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';
import { TestClock } from './test-clock';
import { NO_DISPATCH, NUMBER_080, sendBody, sendingProject, SendingProject } from './messages-fixtures';

/** 22:00 Seoul: inside the 21:00–08:00 night window for advertising. */
const NIGHT = '2026-03-02T22:00:00+09:00';

describe('send: advertising (080 opt-out list, labels, night window)', () => {
  let t: TestApp;
  let ad: SendingProject;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH, clock });
    ad = await sendingProject(t, 'Advertiser', { optOut: true });
    await t.http.post('/v1/opt-out/blocklist').set(ad.auth).send({ number: '010-9999-0000' }).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (project: SendingProject, body: object, query = '') =>
    t.http.post(`/v1/messages${query}`).set(project.auth).send(body);
  const messagesOf = async (project: SendingProject, requestId: string) =>
    (await t.http.get(`/v1/requests/${requestId}`).set(project.auth).expect(200)).body.messages;
  const count = async (project: SendingProject): Promise<number> =>
    (await t.http.get('/v1/messages?limit=1000').set(project.auth).expect(200)).body.items.length;

  const adBody = sendBody({
    contentType: 'AD',
    content: '봄맞이 세일',
    messages: [{ to: '010-1111-2222' }, { to: '010-9999-0000' }, { to: '01033334444' }],
  });

  it('blocks the AD recipient on the 080 list while the others go, labelled with the 080 number', async () => {
    const response = await send(ad, adBody).expect(202);
    expect(response.body).toMatchObject({ accepted: 2 });
    expect(response.body.rejected).toEqual([
      {
        index: 1,
        to: '010-9999-0000',
        code: 'BLOCKED',
        field: 'messages[1].to',
        message: expect.any(String),
      },
    ]);
    const messages = await messagesOf(ad, response.body.requestId);
    expect(messages[1]).toMatchObject({
      state: 'BLOCKED',
      status: 'COMPLETED',
      statusName: 'fail',
      statusCode: 'BLOCKED',
    });
    for (const m of [messages[0], messages[2]]) {
      expect(m).toMatchObject({ state: 'QUEUED', status: 'READY', contentType: 'AD' });
      expect(m.content.startsWith('(광고)')).toBe(true);
      expect(m.content).toContain('080-123-4567'.replace(/-/g, '').slice(0, 3));
      expect(m.content.replace(/\D/g, '')).toContain(NUMBER_080);
    }
  });

  it('shows the blocked recipient and the labels in the dry run', async () => {
    const plan = await send(ad, adBody, '?dryRun=true').expect(200);
    expect(plan.body.summary).toEqual({ total: 3, planned: 2, rejected: 1, blocked: 1 });
    expect(plan.body.recipients[1]).toMatchObject({ outcome: 'BLOCKED', code: 'BLOCKED' });
    expect(plan.body.recipients[0].labels.length).toBeGreaterThan(0);
  });

  it('does not filter COMM messages by the 080 list', async () => {
    const response = await send(ad, { ...adBody, contentType: 'COMM' }).expect(202);
    expect(response.body).toMatchObject({ accepted: 3, rejected: [] });
  });

  it('refuses AD without a COMPLETE 080 service (422), storing nothing', async () => {
    const plain = await sendingProject(t, 'No 080');
    const response = await send(plain, adBody).expect(422);
    expect(response.body).toMatchObject({ code: 'AD_OPT_OUT_SERVICE_REQUIRED', field: 'contentType' });
    expect(await count(plain)).toBe(0);
  });

  it('refuses AD when every recipient is blocked, storing nothing', async () => {
    const before = await count(ad);
    const response = await send(ad, { ...adBody, messages: [{ to: '01099990000' }] }).expect(422);
    expect(response.body).toMatchObject({ code: 'BLOCKED', field: 'messages[0].to' });
    expect(await count(ad)).toBe(before);
  });

  it('refuses AD in the night window under the reject policy (now, or a reservation at night)', async () => {
    const start = clock.now();
    try {
      clock.set(NIGHT);
      const before = await count(ad);
      const now = await send(ad, adBody).expect(422);
      // No reserveTime was sent: the field named is the AD type, and the message says what would go.
      expect(now.body).toMatchObject({ code: 'AD_NIGHT_WINDOW', field: 'contentType' });
      expect(now.body.message).toContain('set reserveTime to a time in that window');
      expect(await count(ad)).toBe(before);
      // COMM is not advertising: it goes at night.
      await send(ad, { ...adBody, contentType: 'COMM' }).expect(202);
      clock.set(start);
      const reserved = await send(ad, { ...adBody, reserveTime: '2026-03-03 07:59' }).expect(422);
      expect(reserved.body).toMatchObject({ code: 'AD_NIGHT_WINDOW', field: 'reserveTime' });
      const morning = await send(ad, { ...adBody, reserveTime: '2026-03-03 08:00' }).expect(202);
      expect(morning.body).toMatchObject({ statusName: 'reserved', accepted: 2 });
    } finally {
      clock.set(start);
    }
  });
});

describe('send: AD at night under the defer policy', () => {
  let t: TestApp;
  let ad: SendingProject;
  const clock = new TestClock(NIGHT);

  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_DISPATCH, MUNJA_AD_NIGHT_POLICY: 'defer' }, clock });
    ad = await sendingProject(t, 'Deferred', { optOut: true });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('accepts it and holds the messages until 08:00 Seoul', async () => {
    const response = await t.http
      .post('/v1/messages')
      .set(ad.auth)
      .send(sendBody({ contentType: 'AD', content: '야간 세일' }))
      .expect(202);
    const eight = new Date('2026-03-03T08:00:00+09:00').toISOString();
    expect(response.body).toMatchObject({ statusName: 'success', deferred: true, sendTime: eight });
    const [message] = (await t.http.get(`/v1/requests/${response.body.requestId}`).set(ad.auth).expect(200))
      .body.messages;
    expect(message).toMatchObject({ state: 'QUEUED', status: 'READY', sendTime: eight });
  });
});

describe('send: Idempotency-Key', () => {
  let t: TestApp;
  let p: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    p = await sendingProject(t, 'Idempotent');
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (key: string, body: object, query = '') =>
    t.http.post(`/v1/messages${query}`).set(p.auth).set('Idempotency-Key', key).send(body);
  const count = async (): Promise<number> =>
    (await t.http.get('/v1/messages?limit=1000').set(p.auth).expect(200)).body.items.length;

  it('replays the first answer for the same key and body, and stores once', async () => {
    const body = sendBody({ messages: [{ to: '01011112222' }, { to: '0' }] });
    const first = await send('order-1', body).expect(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await send('order-1', reordered).expect(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count()).toBe(2);
  });

  it('answers 409 for the same key with another body', async () => {
    await send('order-2', sendBody()).expect(202);
    const other = await send('order-2', sendBody({ content: 'different' })).expect(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
  });

  it('keeps keys per project', async () => {
    const other = await sendingProject(t, 'Other key owner');
    const mine = await send('shared-key', sendBody()).expect(202);
    const theirs = await t.http
      .post('/v1/messages')
      .set(other.auth)
      .set('Idempotency-Key', 'shared-key')
      .send(sendBody())
      .expect(202);
    expect(theirs.body.requestId).not.toBe(mine.body.requestId);
  });

  it('stores concurrent requests with one key once, and all of them get the same answer', async () => {
    const before = await count();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => send('burst', sendBody({ messages: [{ to: '01077778888' }] }))),
    );
    for (const a of answers) expect(a.status).toBe(202);
    expect(new Set(answers.map((a) => a.body.requestId)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('ignores the key on a dry run and refuses a malformed key', async () => {
    await send('dry', sendBody(), '?dryRun=true').expect(200);
    const real = await send('dry', sendBody({ content: 'now for real' })).expect(202);
    expect(real.body.statusCode).toBe('202');
    const bad = await send('has space', sendBody()).expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY', field: 'Idempotency-Key' });
    const long = await send('k'.repeat(256), sendBody()).expect(400);
    expect(long.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
  });

  it('does not bind a key to a refused request', async () => {
    await send('fix-and-retry', sendBody({ from: '0311112222' })).expect(422);
    await send('fix-and-retry', sendBody()).expect(202);
  });
});
