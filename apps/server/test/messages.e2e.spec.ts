import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, TestApp } from './test-app';
import { fakeJpeg } from './support/images';
import { TestClock } from './test-clock';
import { CALLING_NUMBER, NO_DISPATCH, sendBody, sendingProject, SendingProject } from './messages-fixtures';

describe('send: POST /v1/messages', () => {
  let t: TestApp;
  let p: SendingProject;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH, clock });
    p = await sendingProject(t, 'Sender');
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (body: object, query = '', project: SendingProject = p) =>
    t.http.post(`/v1/messages${query}`).set(project.auth).send(body);
  const requestOf = async (requestId: string, project: SendingProject = p) =>
    (await t.http.get(`/v1/requests/${requestId}`).set(project.auth).expect(200)).body;
  const storedCount = async (project: SendingProject = p): Promise<number> =>
    (await t.http.get('/v1/messages?limit=1000').set(project.auth).expect(200)).body.items.length;

  it('accepts an SMS with 202 and stores one READY message per recipient', async () => {
    const response = await send(
      sendBody({ messages: [{ to: '010-1111-2222' }, { to: '01033334444' }] }),
    ).expect(202);
    expect(response.body).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      requestTime: clock.now().toISOString(),
      statusCode: '202',
      statusName: 'success',
      reservationId: null,
      sendTime: clock.now().toISOString(),
      deferred: false,
      accepted: 2,
      rejected: [],
    });
    const request = await requestOf(response.body.requestId);
    expect(request).toMatchObject({
      requestId: response.body.requestId,
      statusCode: '202',
      statusName: 'success',
      contentType: 'COMM',
      countryCode: '82',
      from: CALLING_NUMBER,
      content: '안녕하세요',
      acceptedCount: 2,
      rejectedCount: 0,
      page: 1,
      total: 2,
    });
    expect(request.messages).toEqual([
      expect.objectContaining({
        to: '01011112222',
        type: 'SMS',
        status: 'READY',
        state: 'QUEUED',
        bytes: 10,
      }),
      expect.objectContaining({
        to: '01033334444',
        type: 'SMS',
        status: 'READY',
        state: 'QUEUED',
        bytes: 10,
      }),
    ]);
  });

  it('shows one message with the SENS result fields', async () => {
    const sent = await send(sendBody({ subject: 'ignored for SMS?' })).expect(202);
    const request = await requestOf(sent.body.requestId);
    const messageId = request.messages[0].messageId;
    const message = await t.http.get(`/v1/messages/${messageId}`).set(p.auth).expect(200);
    expect(message.body).toEqual({
      messageId,
      requestId: sent.body.requestId,
      requestTime: clock.now().toISOString(),
      type: expect.any(String),
      contentType: 'COMM',
      countryCode: '82',
      from: CALLING_NUMBER,
      to: '01011112222',
      subject: expect.anything(),
      content: '안녕하세요',
      status: 'READY',
      state: 'QUEUED',
      statusName: null,
      statusCode: null,
      statusMessage: null,
      telcoCode: null,
      completeTime: null,
      sendTime: clock.now().toISOString(),
      bytes: 10,
      parts: 1,
      encoding: null,
      reservationId: null,
      files: [],
    });
  });

  describe('type', () => {
    it('chooses SMS up to 90 bytes and LMS above, automatically', async () => {
      const at90 = await send(sendBody({ content: 'a'.repeat(90) })).expect(202);
      const at91 = await send(sendBody({ content: 'a'.repeat(91) })).expect(202);
      const korean = await send(sendBody({ content: '가'.repeat(46) })).expect(202);
      expect((await requestOf(at90.body.requestId)).messages[0]).toMatchObject({ type: 'SMS', bytes: 90 });
      expect((await requestOf(at91.body.requestId)).messages[0]).toMatchObject({ type: 'LMS', bytes: 91 });
      // 46 Hangul syllables are 92 CP949 bytes.
      expect((await requestOf(korean.body.requestId)).messages[0]).toMatchObject({ type: 'LMS', bytes: 92 });
    });

    it('keeps an explicit SMS and refuses content over 90 bytes with 400 and the field', async () => {
      const response = await send(sendBody({ type: 'SMS', content: 'a'.repeat(91) })).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'CONTENT_TOO_LONG', field: 'content' });
    });

    it('plans each recipient with its own content (SMS and LMS in one request)', async () => {
      const response = await send(
        sendBody({ messages: [{ to: '01011112222' }, { to: '01033334444', content: 'b'.repeat(100) }] }),
      ).expect(202);
      const messages = (await requestOf(response.body.requestId)).messages;
      expect(messages.map((m: { type: string }) => m.type)).toEqual(['SMS', 'LMS']);
      expect(messages[1].content).toBe('b'.repeat(100));
    });

    it('sends an MMS with a file uploaded through /v1/files, and shows the file name', async () => {
      const upload = await t.http
        .post('/v1/files')
        .set(p.auth)
        .attach('file', fakeJpeg(640, 480), { filename: 'coupon.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const fileId = upload.body.fileId;
      const response = await send(sendBody({ subject: '쿠폰', files: [{ fileId }] })).expect(202);
      const [message] = (await requestOf(response.body.requestId)).messages;
      expect(message).toMatchObject({
        type: 'MMS',
        subject: '쿠폰',
        files: [{ fileId, name: 'coupon.jpg' }],
      });
      const one = await t.http.get(`/v1/messages/${message.messageId}`).set(p.auth).expect(200);
      expect(one.body.files).toEqual([{ fileId, name: 'coupon.jpg' }]);
      // the history reads its own narrow selection of columns: its item must be the very same view
      const history = await t.http.get('/v1/messages?type=MMS&limit=1000').set(p.auth).expect(200);
      const listed = history.body.items.find((m: { messageId: string }) => m.messageId === message.messageId);
      expect(listed).toEqual(one.body);
    });

    it('refuses files that are unknown, another project’s, or expired', async () => {
      const unknown = await send(
        sendBody({ files: [{ fileId: '00000000-0000-4000-8000-000000000000' }] }),
      ).expect(422);
      expect(unknown.body).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'files[0].fileId' });

      const other = await sendingProject(t, 'Other files');
      const theirs = await t.http
        .post('/v1/files')
        .set(other.auth)
        .attach('file', fakeJpeg(10, 10), { filename: 'a.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const stolen = await send(sendBody({ files: [{ fileId: theirs.body.fileId }] })).expect(422);
      expect(stolen.body).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'files[0].fileId' });

      const mine = await t.http
        .post('/v1/files')
        .set(p.auth)
        .attach('file', fakeJpeg(10, 10), { filename: 'b.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const start = clock.now();
      clock.set(mine.body.expiresAt);
      try {
        const expired = await send(sendBody({ files: [{ fileId: mine.body.fileId }] })).expect(422);
        expect(expired.body).toMatchObject({ code: 'FILE_EXPIRED', field: 'files[0].fileId' });
      } finally {
        clock.set(start);
      }
    });
  });

  describe('international', () => {
    const intl = sendBody({ countryCode: '1', content: 'a'.repeat(400), messages: [{ to: '650-253-0000' }] });

    it('plans a 400-character GSM-7 message in 3 parts (dry run)', async () => {
      const plan = await send(intl, '?dryRun=true').expect(200);
      expect(plan.body).toMatchObject({
        dryRun: true,
        countryCode: '1',
        summary: { planned: 1, rejected: 0 },
      });
      expect(plan.body.recipients[0]).toMatchObject({
        outcome: 'PLANNED',
        type: 'INTL',
        number: '6502530000',
        e164: '+16502530000',
        encoding: 'GSM7',
        parts: 3,
        route: expect.arrayContaining([expect.any(String)]),
      });
      expect(plan.body.recipients[0].segments.join('')).toBe('a'.repeat(400));
    });

    it('stores it as one INTL message of 3 parts', async () => {
      const response = await send(intl).expect(202);
      const [message] = (await requestOf(response.body.requestId)).messages;
      expect(message).toMatchObject({
        type: 'INTL',
        countryCode: '1',
        to: '6502530000',
        parts: 3,
        encoding: 'GSM7',
        bytes: null,
      });
    });

    it('refuses a subject or files abroad, and an unknown country code', async () => {
      const subject = await send({ ...intl, subject: 'hi' }).expect(400);
      expect(subject.body).toMatchObject({ code: 'SUBJECT_NOT_ALLOWED', field: 'subject' });
      const country = await send(sendBody({ countryCode: '999' })).expect(400);
      expect(country.body).toMatchObject({ code: 'INVALID_COUNTRY_CODE', field: 'countryCode' });
    });
  });

  describe('recipients', () => {
    it('refuses a bad recipient alone: the others go, it is listed and stored as failed', async () => {
      const response = await send(
        sendBody({ messages: [{ to: '010-1111-2222' }, { to: '12' }, { to: '01055556666' }] }),
      ).expect(202);
      expect(response.body.accepted).toBe(2);
      expect(response.body.rejected).toEqual([
        {
          index: 1,
          to: '12',
          code: 'INVALID_PHONE_NUMBER',
          field: 'messages[1].to',
          message: expect.any(String),
        },
      ]);
      const messages = (await requestOf(response.body.requestId)).messages;
      expect(messages[1]).toMatchObject({
        to: '12',
        status: 'COMPLETED',
        state: 'REJECTED',
        statusName: 'fail',
        statusCode: 'INVALID_PHONE_NUMBER',
        completeTime: clock.now().toISOString(),
      });
      expect(messages[0].state).toBe('QUEUED');
      expect(messages[2].state).toBe('QUEUED');
    });

    it('refuses the request when no recipient can be sent to, storing nothing', async () => {
      const before = await storedCount();
      const response = await send(sendBody({ messages: [{ to: '12' }, { to: 'abc' }] })).expect(400);
      expect(response.body).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'messages[0].to' });
      expect(await storedCount()).toBe(before);
    });

    it('takes 1,000 recipients in one request and refuses 1,001', async () => {
      const messages = Array.from({ length: 1000 }, (_, i) => ({ to: `0107${String(i).padStart(7, '0')}` }));
      const response = await send(sendBody({ messages })).expect(202);
      expect(response.body.accepted).toBe(1000);
      const page = await t.http
        .get(`/v1/requests/${response.body.requestId}?page=2&size=400`)
        .set(p.auth)
        .expect(200);
      expect(page.body).toMatchObject({ page: 2, size: 400, total: 1000 });
      expect(page.body.messages[0].to).toBe('01070000400');
      const tooMany = await send(sendBody({ messages: [...messages, { to: '01099999999' }] })).expect(400);
      expect(tooMany.body).toMatchObject({ code: 'TOO_MANY', field: 'messages' });
    });
  });

  describe('bad input', () => {
    it.each([
      ['no body fields', {}, 400, 'REQUIRED', 'from'],
      ['no messages', { from: CALLING_NUMBER, content: 'x' }, 400, 'REQUIRED', 'messages'],
      ['empty messages', sendBody({ messages: [] }), 400, 'TOO_FEW', 'messages'],
      [
        'a recipient without to',
        sendBody({ messages: [{ to: '01011112222' }, {}] }),
        400,
        'REQUIRED',
        'messages[1].to',
      ],
      ['a numeric to', sendBody({ messages: [{ to: 1012345678 }] }), 400, 'INVALID_STRING', 'messages[0].to'],
      [
        'an unknown recipient field',
        sendBody({ messages: [{ to: '01011112222', cc: 'x' }] }),
        400,
        'UNKNOWN_FIELD',
        'messages[0].cc',
      ],
      ['an unknown field', sendBody({ foo: 1 }), 400, 'UNKNOWN_FIELD', 'foo'],
      ['a bad contentType', sendBody({ contentType: 'SPAM' }), 400, 'INVALID_VALUE', 'contentType'],
      ['a bad type', sendBody({ type: 'FAX' }), 400, 'INVALID_VALUE', 'type'],
      ['a bad fileId', sendBody({ files: [{ fileId: 'x' }] }), 400, 'INVALID_UUID', 'files[0].fileId'],
      ['empty content', sendBody({ content: '' }), 400, 'CONTENT_EMPTY', 'content'],
      ['an unencodable character', sendBody({ content: '😀' }), 400, 'UNENCODABLE_CHARACTER', 'content'],
      [
        'an unregistered from',
        sendBody({ from: '031-111-2222' }),
        422,
        'CALLING_NUMBER_NOT_REGISTERED',
        'from',
      ],
      [
        'a malformed reserveTime',
        sendBody({ reserveTime: 'tomorrow' }),
        400,
        'INVALID_FORMAT',
        'reserveTime',
      ],
      [
        'a past reserveTime',
        sendBody({ reserveTime: '2026-03-02 09:59' }),
        422,
        'RESERVE_TIME_IN_PAST',
        'reserveTime',
      ],
      [
        'an unknown zone',
        sendBody({ reserveTime: '2026-03-05 10:00', reserveTimeZone: 'Mars/Base' }),
        400,
        'UNKNOWN_TIME_ZONE',
        'reserveTimeZone',
      ],
    ])('refuses %s', async (_what, body, status, code, field) => {
      const before = await storedCount();
      const response = await send(body).expect(status);
      expect(response.body).toEqual({ statusCode: status, code, field, message: expect.any(String) });
      expect(await storedCount()).toBe(before);
    });

    it('refuses bad JSON, a bad dryRun flag, and a missing key', async () => {
      const json = await t.http
        .post('/v1/messages')
        .set(p.auth)
        .set('Content-Type', 'application/json')
        .send('{"from":')
        .expect(400);
      expect(json.body.code).toBe('INVALID_JSON');
      const flag = await send(sendBody(), '?dryRun=maybe').expect(400);
      expect(flag.body).toMatchObject({ code: 'INVALID_VALUE', field: 'dryRun' });
      await t.http.post('/v1/messages').send(sendBody()).expect(401);
    });

    it('refuses a calling number that is registered but not approved', async () => {
      await t.http
        .post('/v1/calling-numbers')
        .set(p.auth)
        .send({ number: '0311234567', method: 'SMS' })
        .expect(201);
      const response = await send(sendBody({ from: '031-123-4567' })).expect(422);
      expect(response.body).toMatchObject({ code: 'CALLING_NUMBER_NOT_APPROVED', field: 'from' });
    });
  });

  describe('dry run', () => {
    it('answers the full plan and stores nothing', async () => {
      const before = await storedCount();
      const plan = await send(
        sendBody({
          messages: [{ to: '01011112222' }, { to: '01033334444', content: 'c'.repeat(95) }, { to: 'x' }],
        }),
        '?dryRun=true',
      ).expect(200);
      expect(plan.body).toMatchObject({
        dryRun: true,
        requestTime: clock.now().toISOString(),
        contentType: 'COMM',
        countryCode: '82',
        from: CALLING_NUMBER,
        sendTime: clock.now().toISOString(),
        deferred: false,
        reservation: null,
        summary: { total: 3, planned: 2, rejected: 1, blocked: 0 },
      });
      expect(plan.body.recipients).toEqual([
        expect.objectContaining({
          index: 0,
          outcome: 'PLANNED',
          type: 'SMS',
          number: '01011112222',
          content: '안녕하세요',
          bytes: 10,
          sendTime: clock.now().toISOString(),
          route: expect.any(Array),
        }),
        expect.objectContaining({ index: 1, outcome: 'PLANNED', type: 'LMS', bytes: 95 }),
        expect.objectContaining({
          index: 2,
          outcome: 'REJECTED',
          code: 'INVALID_PHONE_NUMBER',
          field: 'messages[2].to',
        }),
      ]);
      expect(plan.body.recipients[0].route.length).toBeGreaterThan(0);
      expect(await storedCount()).toBe(before);
    });

    it('refuses what the send would refuse, with the same answer', async () => {
      const response = await send(sendBody({ from: '031-111-2222' }), '?dryRun=true').expect(422);
      expect(response.body.code).toBe('CALLING_NUMBER_NOT_REGISTERED');
    });
  });

  describe('history', () => {
    let h: SendingProject;
    const times = ['2026-03-01T09:00:00.000Z', '2026-03-01T09:01:00.000Z', '2026-03-01T09:02:00.000Z'];

    beforeAll(async () => {
      h = await sendingProject(t, 'History');
      const start = clock.now();
      try {
        clock.set(times[0]!);
        await send(sendBody({ messages: [{ to: '01011110000' }, { to: '01011110001' }] }), '', h).expect(202);
        clock.set(times[1]!);
        await send(sendBody({ content: 'L'.repeat(100), messages: [{ to: '01022220000' }] }), '', h).expect(
          202,
        );
        clock.set(times[2]!);
        await send(sendBody({ messages: [{ to: '01033330000' }, { to: '9' }] }), '', h).expect(202);
      } finally {
        clock.set(start);
      }
    });

    const history = (query: string) => t.http.get(`/v1/messages${query}`).set(h.auth);

    it('lists newest first and pages with an opaque cursor, each message once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await history(query).expect(200);
        seen.push(...page.body.items.map((m: { to: string }) => m.to));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect(seen.slice(0, 2).sort()).toEqual(['01033330000', '9']);
      expect(seen[2]).toBe('01022220000');
    });

    it('filters by type, status, from, to and request time', async () => {
      const lms = await history('?type=LMS').expect(200);
      expect(lms.body.items.map((m: { to: string }) => m.to)).toEqual(['01022220000']);
      const completed = await history('?status=COMPLETED').expect(200);
      expect(completed.body.items.map((m: { to: string }) => m.to)).toEqual(['9']);
      const to = await history('?to=010-1111-0001').expect(200);
      expect(to.body.items).toHaveLength(1);
      const from = await history('?from=02-1234-5678').expect(200);
      expect(from.body.items).toHaveLength(5);
      const otherFrom = await history('?from=0311112222').expect(200);
      expect(otherFrom.body.items).toHaveLength(0);
      const range = await history(
        `?requestTimeFrom=${times[1]}&requestTimeTo=${encodeURIComponent('2026-03-01T09:02:00.000Z')}`,
      ).expect(200);
      expect(range.body.items.map((m: { to: string }) => m.to)).toEqual(['01022220000']);
    });

    it('reaches back 30 days at most', async () => {
      const start = clock.now();
      try {
        clock.set(new Date(new Date(times[1]!).getTime() + 30 * 86_400_000));
        const page = await history(`?requestTimeFrom=2026-01-01T00:00:00Z`).expect(200);
        // The oldest request (09:00) is now more than 30 days back; 09:01 is exactly at the edge.
        expect(page.body.items.map((m: { to: string }) => m.to).sort()).toEqual([
          '01022220000',
          '01033330000',
          '9',
        ]);
      } finally {
        clock.set(start);
      }
    });

    it.each([
      ['?limit=0', 'TOO_SMALL', 'limit'],
      ['?limit=1001', 'TOO_LARGE', 'limit'],
      ['?type=FAX', 'INVALID_VALUE', 'type'],
      ['?status=DONE', 'INVALID_VALUE', 'status'],
      ['?requestTimeFrom=yesterday', 'INVALID_I_S_O8601', 'requestTimeFrom'],
      ['?cursor=bm9wZQ', 'INVALID_CURSOR', 'cursor'],
      [
        '?requestTimeFrom=2026-03-01T09:02:00Z&requestTimeTo=2026-03-01T09:00:00Z',
        'INVALID_TIME_RANGE',
        'requestTimeFrom',
      ],
    ])('refuses %s with 400', async (query, code, field) => {
      const response = await history(query).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, field });
      if (code !== 'INVALID_I_S_O8601') expect(response.body.code).toBe(code);
    });
  });

  describe('isolation', () => {
    it('answers 404 for another project’s request and message, and never lists them', async () => {
      const mine = await send(sendBody()).expect(202);
      const messageId = (await requestOf(mine.body.requestId)).messages[0].messageId;
      const other = await sendingProject(t, 'Stranger');
      const request = await t.http.get(`/v1/requests/${mine.body.requestId}`).set(other.auth).expect(404);
      expect(request.body).toMatchObject({ code: 'NOT_FOUND' });
      await t.http.get(`/v1/messages/${messageId}`).set(other.auth).expect(404);
      await t.http.get('/v1/messages/not-a-uuid').set(other.auth).expect(404);
      await t.http.get('/v1/requests/00000000-0000-4000-8000-000000000000').set(p.auth).expect(404);
      const list = await t.http.get('/v1/messages').set(other.auth).expect(200);
      expect(list.body.items).toEqual([]);
      // The operator key is not a project: it sends nothing.
      await t.http.post('/v1/messages').set(t.bearer(t.operatorKey)).send(sendBody()).expect(403);
    });
  });
});
