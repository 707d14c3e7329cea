// Accepting sends: single, bulk, reserved and scheduled, their compliance checks, the stored rows and their query
// plans. One file (one module load of the service for all of them) with a describe per former file. The describes
// that store sends without the dispatcher and look only at their own project share one app (sharedTestApp, each
// with its own clock); the others boot their own on a fresh database.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { MessagesService } from '../src/messages/messages.service';
import { requestTimeRangeOf } from '../src/messages/message-id';
import type { MessageHistoryQuery } from '../src/messages/results.dto';
import { ResultsService } from '../src/messages/results.service';
import { fillHistory, partitionDays, syntheticRecipient } from '../src/retention/synthetic-history';
import { ScheduleRunner } from '../src/schedules/schedule-runner';
import { bulkFields, postBulk } from './bulk-support';
import { query } from './dispatch-support';
import {
  CALLING_NUMBER,
  NO_DISPATCH,
  NUMBER_080,
  sendBody,
  sendingProject,
  SendingProject,
} from './messages-fixtures';
import { fakeJpeg } from './support/images';
import { type PlanNode, rootPlan } from './support/query-plan';
import { sharedTestApp, startTestApp, TestApp } from './test-app';
import { TestClock } from './test-clock';

// ---- formerly test/messages.e2e.spec.ts
describe('messages', () => {
  describe('send: POST /v1/messages', () => {
    let t: TestApp;
    let p: SendingProject;
    const clock = new TestClock();

    beforeAll(async () => {
      t = await sharedTestApp({ env: NO_DISPATCH, clock });
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
        expect((await requestOf(korean.body.requestId)).messages[0]).toMatchObject({
          type: 'LMS',
          bytes: 92,
        });
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
        const listed = history.body.items.find(
          (m: { messageId: string }) => m.messageId === message.messageId,
        );
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
      const intl = sendBody({
        countryCode: '1',
        content: 'a'.repeat(400),
        messages: [{ to: '650-253-0000' }],
      });

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
        const messages = Array.from({ length: 1000 }, (_, i) => ({
          to: `0107${String(i).padStart(7, '0')}`,
        }));
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
        [
          'a numeric to',
          sendBody({ messages: [{ to: 1012345678 }] }),
          400,
          'INVALID_STRING',
          'messages[0].to',
        ],
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
      const times = ['2026-03-01T09:00:00.000Z', '2026-03-01T09:01:00.000Z', '2026-03-01T09:02:00.456Z'];

      beforeAll(async () => {
        h = await sendingProject(t, 'History');
        const start = clock.now();
        try {
          clock.set(times[0]!);
          await send(sendBody({ messages: [{ to: '01011110000' }, { to: '01011110001' }] }), '', h).expect(
            202,
          );
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

      it('shows each message as GET /v1/messages/:messageId does, its times to the millisecond', async () => {
        // the history's times are formatted by PostgreSQL, the single message's by Date.toISOString
        const page = await history('?limit=10').expect(200);
        expect(page.body.items).toHaveLength(5);
        expect(page.body.items[0].requestTime).toBe(times[2]);
        for (const item of page.body.items) {
          const one = await t.http.get(`/v1/messages/${item.messageId}`).set(h.auth).expect(200);
          expect(item).toEqual(one.body);
        }
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
});

// ---- formerly test/messages-compliance.e2e.spec.ts
describe('messages-compliance', () => {
  /** 22:00 Seoul: inside the 21:00–08:00 night window for advertising. */
  const NIGHT = '2026-03-02T22:00:00+09:00';

  describe('send: advertising (080 opt-out list, labels, night window)', () => {
    let t: TestApp;
    let ad: SendingProject;
    const clock = new TestClock();

    beforeAll(async () => {
      t = await sharedTestApp({ env: NO_DISPATCH, clock });
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
      t = await sharedTestApp({ env: NO_DISPATCH });
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
});

// ---- formerly test/send-store.e2e.spec.ts
describe('send-store', () => {
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
});

// ---- formerly test/bulk.e2e.spec.ts
describe('bulk', () => {
  describe('bulk sends by CSV', () => {
    let t: TestApp;
    let project: SendingProject;
    let adProject: SendingProject;

    beforeAll(async () => {
      t = await sharedTestApp({ env: NO_DISPATCH });
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

    it('gives the recipients of one request ascending UUIDv7 ids in their request time, all distinct', async () => {
      const rows = 700; // past the 256 recipients of the counter's low byte
      const csv = `to\n${Array.from({ length: rows }, (_, i) => `010-71${String(i).padStart(2, '0').slice(-2)}-${String(i).padStart(4, '0')}`).join('\n')}\n`;
      const sent = await postBulk(t, project, bulkFields(), csv).expect(202);
      expect(sent.body).toMatchObject({ accepted: rows, rejected: 0 });
      const stored = await query<{ id: string; recipient_index: number; request_time: Date }>(
        t,
        `SELECT id::text AS id, recipient_index, request_time FROM messages WHERE request_id = $1
          ORDER BY recipient_index`,
        [sent.body.requestId],
      );
      expect(stored).toHaveLength(rows);
      const ids = stored.map((r) => r.id);
      expect(new Set(ids).size).toBe(rows);
      expect([...ids].sort()).toEqual(ids);
      for (const row of stored) {
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(requestTimeRangeOf(row.id)?.from).toEqual(new Date(row.request_time));
      }
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
});

// ---- formerly test/reservations.e2e.spec.ts
describe('reservations', () => {
  describe('reservations', () => {
    let t: TestApp;
    let p: SendingProject;

    beforeAll(async () => {
      // The clock stays at 2026-03-02 10:00 Seoul: every reservation below is in the future.
      t = await sharedTestApp({ env: NO_DISPATCH });
      p = await sendingProject(t, 'Reserver');
    });

    afterAll(async () => {
      await t?.close();
    });

    const reserve = (reserveTime: string, extra: object = {}, project: SendingProject = p) =>
      t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ reserveTime, messages: [{ to: '01011112222' }, { to: '01033334444' }], ...extra }));
    const messagesOf = async (requestId: string) =>
      (await t.http.get(`/v1/requests/${requestId}`).set(p.auth).expect(200)).body.messages;

    it('holds a send with reserveTime: 202 reserved, a READY reservation, RESERVED messages', async () => {
      const response = await reserve('2026-03-05 14:30').expect(202);
      const sendTime = '2026-03-05T05:30:00.000Z';
      expect(response.body).toMatchObject({
        statusCode: '202',
        statusName: 'reserved',
        reservationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        sendTime,
        accepted: 2,
      });
      const reservation = await t.http
        .get(`/v1/reservations/${response.body.reservationId}`)
        .set(p.auth)
        .expect(200);
      expect(reservation.body).toMatchObject({
        reservationId: response.body.reservationId,
        requestId: response.body.requestId,
        sendTime,
        reserveTimeZone: 'Asia/Seoul',
        status: 'READY',
        request: { contentType: 'COMM', from: '0212345678', content: '안녕하세요', recipients: 2 },
      });
      const messages = await messagesOf(response.body.requestId);
      for (const m of messages) {
        expect(m).toMatchObject({
          status: 'READY',
          state: 'RESERVED',
          sendTime,
          reservationId: response.body.reservationId,
        });
      }
      const request = await t.http.get(`/v1/requests/${response.body.requestId}`).set(p.auth).expect(200);
      expect(request.body).toMatchObject({
        statusName: 'reserved',
        reserveTime: sendTime,
        reserveTimeZone: 'Asia/Seoul',
      });
    });

    it('shows the reservation in a dry run and stores none', async () => {
      const before = (await t.http.get('/v1/reservations').set(p.auth).expect(200)).body.items.length;
      const plan = await t.http
        .post('/v1/messages?dryRun=true')
        .set(p.auth)
        .send(sendBody({ reserveTime: '2026-03-08 02:30', reserveTimeZone: 'America/New_York' }))
        .expect(200);
      // 02:30 does not exist in New York that night (DST starts): the next valid minute, 03:00 EDT.
      expect(plan.body.reservation).toEqual({
        sendTime: '2026-03-08T07:00:00.000Z',
        zone: 'America/New_York',
        local: '2026-03-08 03:00',
        adjustment: 'DST_GAP_SHIFTED',
      });
      expect(plan.body.recipients[0].sendTime).toBe('2026-03-08T07:00:00.000Z');
      const after = (await t.http.get('/v1/reservations').set(p.auth).expect(200)).body.items.length;
      expect(after).toBe(before);
    });

    it('reads reserveTime in reserveTimeZone', async () => {
      const response = await reserve('2026-03-05 09:00', { reserveTimeZone: 'America/New_York' }).expect(202);
      expect(response.body.sendTime).toBe('2026-03-05T14:00:00.000Z');
    });

    it('cancels a READY reservation and its messages in one go; a second cancel is 409', async () => {
      const response = await reserve('2026-03-06 09:00').expect(202);
      const id = response.body.reservationId;
      const canceled = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(200);
      expect(canceled.body).toMatchObject({ reservationId: id, status: 'CANCELED' });
      for (const m of await messagesOf(response.body.requestId)) {
        expect(m).toMatchObject({
          status: 'COMPLETED',
          state: 'CANCELED',
          statusName: 'fail',
          statusCode: 'CANCELED',
          completeTime: t.clock.now().toISOString(),
        });
      }
      const again = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(409);
      expect(again.body).toMatchObject({ statusCode: 409, code: 'RESERVATION_NOT_CANCELABLE' });
    });

    it('refuses to cancel a reservation that has started (PROCESSING) or is DONE, and leaves it as it was', async () => {
      const database = t.app.get(DataSource);
      for (const status of ['PROCESSING', 'DONE', 'STALE']) {
        const response = await reserve('2026-03-07 09:00').expect(202);
        const id = response.body.reservationId;
        await database.query(`UPDATE reservations SET status = $2 WHERE id = $1`, [id, status]);
        const refused = await t.http.post(`/v1/reservations/${id}/cancel`).set(p.auth).expect(409);
        expect(refused.body).toMatchObject({
          code: 'RESERVATION_NOT_CANCELABLE',
          message: expect.stringContaining(status),
        });
        const after = await t.http.get(`/v1/reservations/${id}`).set(p.auth).expect(200);
        expect(after.body.status).toBe(status);
        for (const m of await messagesOf(response.body.requestId)) expect(m.state).toBe('RESERVED');
      }
    });

    describe('list', () => {
      let l: SendingProject;
      const ids: string[] = [];

      beforeAll(async () => {
        l = await sendingProject(t, 'Lister');
        for (const time of ['2026-03-10 09:00', '2026-03-11 09:00', '2026-03-12 09:00']) {
          ids.push((await reserve(time, {}, l).expect(202)).body.reservationId);
        }
        await t.http.post(`/v1/reservations/${ids[1]}/cancel`).set(l.auth).expect(200);
      });

      const list = (query = '') => t.http.get(`/v1/reservations${query}`).set(l.auth);

      it('lists newest send time first, filtered by send time and status', async () => {
        const all = await list().expect(200);
        expect(all.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([
          ids[2],
          ids[1],
          ids[0],
        ]);
        expect(all.body.nextCursor).toBeNull();
        const ready = await list('?status=READY').expect(200);
        expect(ready.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([
          ids[2],
          ids[0],
        ]);
        const canceled = await list('?status=CANCELED').expect(200);
        expect(canceled.body.items).toHaveLength(1);
        const range = await list('?sendTimeFrom=2026-03-11T00:00:00Z&sendTimeTo=2026-03-12T00:00:00Z').expect(
          200,
        );
        expect(range.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([ids[1]]);
      });

      it('pages with a cursor', async () => {
        const first = await list('?limit=2').expect(200);
        expect(first.body.items).toHaveLength(2);
        const second = await list(`?limit=2&cursor=${first.body.nextCursor}`).expect(200);
        expect(second.body.items.map((r: { reservationId: string }) => r.reservationId)).toEqual([ids[0]]);
        expect(second.body.nextCursor).toBeNull();
      });

      it.each([
        ['?status=WAITING', 'INVALID_VALUE', 'status'],
        ['?sendTimeFrom=soon', undefined, 'sendTimeFrom'],
        ['?limit=1001', 'TOO_LARGE', 'limit'],
        ['?cursor=%%%', 'INVALID_CURSOR', 'cursor'],
      ])('refuses %s with 400', async (query, code, field) => {
        const response = await list(query).expect(400);
        expect(response.body).toMatchObject({ statusCode: 400, field });
        if (code) expect(response.body.code).toBe(code);
      });

      it('shows nothing of another project (404 on its ids, an empty list)', async () => {
        const stranger = await sendingProject(t, 'Stranger');
        await t.http.get(`/v1/reservations/${ids[0]}`).set(stranger.auth).expect(404);
        await t.http.post(`/v1/reservations/${ids[0]}/cancel`).set(stranger.auth).expect(404);
        await t.http.get('/v1/reservations/nope').set(stranger.auth).expect(404);
        const theirs = await t.http.get('/v1/reservations').set(stranger.auth).expect(200);
        expect(theirs.body.items).toEqual([]);
        // Still READY for its owner.
        const mine = await t.http.get(`/v1/reservations/${ids[0]}`).set(l.auth).expect(200);
        expect(mine.body.status).toBe('READY');
      });
    });

    it('refuses a reservation beyond the 180-day horizon', async () => {
      const response = await reserve('2026-12-31 09:00').expect(422);
      expect(response.body).toMatchObject({ code: 'RESERVE_TIME_BEYOND_HORIZON', field: 'reserveTime' });
    });
  });
});

// ---- formerly test/schedules.e2e.spec.ts
describe('schedules', () => {
  interface Occurrence {
    occurrenceKey: string;
    sendTime: string;
    status: string;
    skipReason: string | null;
    messages: { total: number; ready: number; completed: number; fail: number };
    requests: { templateId: string; accepted: number; refused: { code: string } | null }[];
  }

  /**
   * Recurring schedules through the API, with the runner ticked by hand on the injected clock (no dispatcher in
   * this app, so made reservations stay where the runner put them).
   */
  describe('recurring schedules', () => {
    let t: TestApp;
    let p: SendingProject;
    let ad: SendingProject;
    let runner: ScheduleRunner;
    const clock = new TestClock('2026-03-01T00:00:00Z');

    beforeAll(async () => {
      t = await startTestApp({ env: NO_DISPATCH, clock });
      p = await sendingProject(t, 'Schedules');
      ad = await sendingProject(t, 'Advertiser', { optOut: true });
      runner = t.app.get(ScheduleRunner);
    });
    afterAll(async () => {
      await t?.close();
    });

    const create = (project: SendingProject, body: Record<string, unknown>) =>
      t.http.post('/v1/schedules').set(project.auth).send(body);
    const attach = (project: SendingProject, body: Record<string, unknown>) =>
      t.http.post('/v1/messages').set(project.auth).send(body);
    const occurrences = async (project: SendingProject, code: string): Promise<Occurrence[]> =>
      (await t.http.get(`/v1/schedules/${code}/occurrences`).set(project.auth).expect(200)).body;
    const recipients = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ to: `${prefix}${String(i).padStart(4, '0')}` }));

    describe('the API', () => {
      const weekly = {
        code: 'weekly',
        weekdays: ['MON'],
        time: '09:00',
        startDate: '2026-03-02',
        endDate: '2026-05-31',
      };

      it('creates, reads, lists and updates a schedule', async () => {
        const created = await create(p, { ...weekly, description: 'Monday news' }).expect(201);
        expect(created.body).toMatchObject({
          code: 'weekly',
          weekdays: ['MON'],
          time: '09:00',
          timeZone: 'Asia/Seoul',
          enabled: true,
          // Monday 2026-03-02 09:00 Seoul
          nextSendTime: '2026-03-02T00:00:00.000Z',
          templates: 0,
        });
        expect(created.body.upcoming.map((o: { sendTime: string }) => o.sendTime).slice(0, 2)).toEqual([
          '2026-03-02T00:00:00.000Z',
          '2026-03-09T00:00:00.000Z',
        ]);
        await t.http.get('/v1/schedules/weekly').set(p.auth).expect(200);
        const list = await t.http.get('/v1/schedules').set(p.auth).expect(200);
        expect(list.body.map((s: { code: string }) => s.code)).toEqual(['weekly']);
        // another project does not see it
        await t.http.get('/v1/schedules/weekly').set(ad.auth).expect(404);

        const updated = await t.http
          .patch('/v1/schedules/weekly')
          .set(p.auth)
          .send({ weekdays: 'EVERY_DAY', time: '18:30' })
          .expect(200);
        expect(updated.body).toMatchObject({
          weekdays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
          time: '18:30',
          description: 'Monday news',
          nextSendTime: '2026-03-02T09:30:00.000Z',
        });
      });

      it('refuses bad input with codes and changes nothing', async () => {
        const refused = async (
          body: Record<string, unknown>,
          status: number,
          code: string,
          field: string,
        ) => {
          const response = await create(p, { ...weekly, code: 'bad', ...body }).expect(status);
          expect(response.body).toMatchObject({ statusCode: status, code, field });
        };
        await refused({ code: 'weekly' }, 409, 'SCHEDULE_CODE_TAKEN', 'code');
        await refused({ code: 'no spaces' }, 400, 'INVALID_SCHEDULE_CODE', 'code');
        await refused({ weekdays: ['MON', 'FUNDAY'] }, 400, 'INVALID_WEEKDAYS', 'weekdays');
        await refused({ weekdays: [] }, 400, 'INVALID_WEEKDAYS', 'weekdays');
        await refused({ time: '24:00' }, 400, 'INVALID_TIME', 'time');
        await refused({ timeZone: 'Mars/Base' }, 400, 'UNKNOWN_TIME_ZONE', 'timeZone');
        await refused({ endDate: '2026-09-03' }, 422, 'PERIOD_TOO_LONG', 'endDate');
        await refused({ endDate: '2026-03-01' }, 422, 'PERIOD_END_BEFORE_START', 'endDate');
        await refused(
          { startDate: '2026-01-01', endDate: '2026-02-01' },
          422,
          'PERIOD_ALREADY_ENDED',
          'endDate',
        );
        await refused({ colour: 'red' }, 400, 'UNKNOWN_FIELD', 'colour');
        await t.http.patch('/v1/schedules/weekly').set(p.auth).send({ endDate: '2027-01-01' }).expect(422);
        const list = await t.http.get('/v1/schedules').set(p.auth).expect(200);
        expect(list.body.map((s: { code: string }) => s.code)).toEqual(['weekly']);
        expect(list.body[0].endDate).toBe('2026-05-31');
      });

      it('attaches messages by scheduleCode after checking them as a send, and lists them', async () => {
        const answer = await attach(
          p,
          sendBody({ scheduleCode: 'weekly', messages: recipients('0107000', 3) }),
        ).expect(202);
        expect(answer.body).toMatchObject({
          statusName: 'scheduled',
          scheduleCode: 'weekly',
          accepted: 3,
          rejected: [],
          nextSendTime: '2026-03-02T09:30:00.000Z',
        });
        expect(answer.body.templateId).toEqual(expect.any(String));
        // nothing was sent or queued
        expect(await query(t, `SELECT id FROM messages WHERE project_id = $1`, [p.projectId])).toEqual([]);

        const dry = await t.http
          .post('/v1/messages?dryRun=true')
          .set(p.auth)
          .send(sendBody({ scheduleCode: 'weekly' }))
          .expect(200);
        expect(dry.body).toMatchObject({ templateId: null, accepted: 1 });

        const refusals: [Record<string, unknown>, number, string, string][] = [
          [{ scheduleCode: 'nope' }, 422, 'SCHEDULE_NOT_FOUND', 'scheduleCode'],
          [{ scheduleCode: 'weekly', from: '0299998888' }, 422, 'CALLING_NUMBER_NOT_REGISTERED', 'from'],
          [
            { scheduleCode: 'weekly', reserveTime: '2026-03-05 10:00' },
            400,
            'RESERVE_TIME_NOT_ALLOWED',
            'reserveTime',
          ],
          [{ scheduleCode: 'weekly', contentType: 'AD' }, 422, 'AD_OPT_OUT_SERVICE_REQUIRED', 'contentType'],
        ];
        for (const [body, status, code, field] of refusals) {
          const refused = await attach(p, sendBody(body)).expect(status);
          expect(refused.body).toMatchObject({ code, field });
        }
        const templates = await t.http.get('/v1/schedules/weekly/messages').set(p.auth).expect(200);
        expect(templates.body).toHaveLength(1);
        expect(templates.body[0]).toMatchObject({
          templateId: answer.body.templateId,
          recipients: 3,
          message: { from: '0212345678', content: '안녕하세요' },
        });
        expect(templates.body[0].message.scheduleCode).toBeUndefined();
      });

      it('deletes only with the code typed again; the code can then be used again', async () => {
        const missing = await t.http.delete('/v1/schedules/weekly').set(p.auth).expect(400);
        expect(missing.body).toMatchObject({ code: 'REQUIRED', field: 'confirmCode' });
        const wrong = await t.http.delete('/v1/schedules/weekly?confirmCode=WEEKLY').set(p.auth).expect(422);
        expect(wrong.body.code).toBe('DELETE_CONFIRMATION_MISMATCH');
        await t.http.get('/v1/schedules/weekly').set(p.auth).expect(200);
        await t.http.delete('/v1/schedules/weekly').set(p.auth).send({ confirmCode: 'weekly' }).expect(200);
        await t.http.get('/v1/schedules/weekly').set(p.auth).expect(404);
        await t.http.delete('/v1/schedules/weekly?confirmCode=weekly').set(p.auth).expect(404);
        await create(p, weekly).expect(201);
        await t.http.delete('/v1/schedules/weekly?confirmCode=weekly').set(p.auth).expect(200);
      });
    });

    describe('the runner', () => {
      it('fires MON/WED 09:00 New York at the right instants across the DST change, and nothing after the period', async () => {
        clock.set('2026-03-01T00:00:00Z');
        await create(p, {
          code: 'ny',
          weekdays: ['MON', 'WED'],
          time: '09:00',
          timeZone: 'America/New_York',
          startDate: '2026-03-02',
          endDate: '2026-03-18',
        }).expect(201);
        await attach(p, sendBody({ scheduleCode: 'ny', messages: recipients('0107100', 2) })).expect(202);
        // EST (UTC−5) until Sunday 2026-03-08 02:00, EDT (UTC−4) after.
        const expected = [
          '2026-03-02T14:00:00.000Z',
          '2026-03-04T14:00:00.000Z',
          '2026-03-09T13:00:00.000Z',
          '2026-03-11T13:00:00.000Z',
          '2026-03-16T13:00:00.000Z',
          '2026-03-18T13:00:00.000Z',
        ];
        for (const [i, instant] of expected.entries()) {
          clock.set(new Date(new Date(instant).getTime() - 60_000));
          await runner.tick();
          expect(await occurrences(p, 'ny')).toHaveLength(i);
          clock.set(instant);
          await runner.tick();
          const made = await occurrences(p, 'ny');
          expect(made).toHaveLength(i + 1);
          expect(made[0]).toMatchObject({
            sendTime: instant,
            status: 'READY',
            messages: { total: 2, ready: 2 },
          });
          expect(made[0]!.occurrenceKey.endsWith(`@${instant}`)).toBe(true);
          // a second tick at the same instant makes nothing more
          await runner.tick();
          expect(await occurrences(p, 'ny')).toHaveLength(i + 1);
        }
        clock.set('2026-03-30T13:00:00Z');
        await runner.tick();
        expect((await occurrences(p, 'ny')).map((o) => o.sendTime)).toEqual([...expected].reverse());
        const view = await t.http.get('/v1/schedules/ny').set(p.auth).expect(200);
        expect(view.body).toMatchObject({ nextSendTime: null, upcoming: [] });
        // the messages wait RESERVED for the release job, due at the occurrence
        const rows = await query<{ due_at: Date; state: string }>(
          t,
          `SELECT m.due_at, m.state FROM messages m JOIN reservations r ON r.id = m.reservation_id
            WHERE r.occurrence_key LIKE '%@2026-03-09T13:00:00.000Z'`,
        );
        expect(rows.map((r) => [r.due_at.toISOString(), r.state])).toEqual([
          ['2026-03-09T13:00:00.000Z', 'RESERVED'],
          ['2026-03-09T13:00:00.000Z', 'RESERVED'],
        ]);
      });

      it('skips an AD occurrence in the night window; a COMM message of the same occurrence still goes', async () => {
        clock.set('2026-04-01T01:00:00Z'); // 10:00 Seoul
        const daily = {
          weekdays: 'EVERY_DAY',
          time: '22:00',
          startDate: '2026-04-01',
          endDate: '2026-04-30',
        };
        await create(ad, { ...daily, code: 'night-ad' }).expect(201);
        await create(ad, { ...daily, code: 'night-mixed' }).expect(201);
        const adBody = { contentType: 'AD', content: '봄 세일', messages: recipients('0107200', 2) };
        await attach(ad, sendBody({ ...adBody, scheduleCode: 'night-ad' })).expect(202);
        const adTemplate = await attach(ad, sendBody({ ...adBody, scheduleCode: 'night-mixed' })).expect(202);
        await attach(
          ad,
          sendBody({ scheduleCode: 'night-mixed', messages: recipients('0107300', 1) }),
        ).expect(202);

        clock.set('2026-04-01T13:00:00Z'); // 22:00 Seoul
        await runner.tick();
        const [skipped] = await occurrences(ad, 'night-ad');
        expect(skipped).toMatchObject({
          status: 'SKIP',
          skipReason: 'AD_NIGHT_WINDOW',
          messages: { total: 0 },
        });
        expect(skipped!.requests).toEqual([
          expect.objectContaining({
            accepted: 0,
            refused: expect.objectContaining({ code: 'AD_NIGHT_WINDOW' }),
          }),
        ]);
        const [mixed] = await occurrences(ad, 'night-mixed');
        expect(mixed).toMatchObject({ status: 'READY', skipReason: null, messages: { total: 1, ready: 1 } });
        const refused = mixed!.requests.find((r) => r.templateId === adTemplate.body.templateId);
        expect(refused?.refused?.code).toBe('AD_NIGHT_WINDOW');
      });

      it('judges each occurrence by the law as it is then: a recipient blocked since is BLOCKED, a stopped 080 service SKIPs', async () => {
        clock.set('2026-04-06T00:00:00Z'); // 09:00 Seoul
        const advertiser = await sendingProject(t, 'Advertiser 2', { optOut: true });
        await create(advertiser, {
          code: 'day-ad',
          weekdays: 'EVERY_DAY',
          time: '12:00',
          startDate: '2026-04-06',
          endDate: '2026-04-30',
        }).expect(201);
        const to = [{ to: '010-7300-0001' }, { to: '010-7300-0002' }];
        await attach(
          advertiser,
          sendBody({ scheduleCode: 'day-ad', contentType: 'AD', content: '세일', messages: to }),
        ).expect(202);
        await t.http
          .post('/v1/opt-out/blocklist')
          .set(advertiser.auth)
          .send({ number: '010-7300-0002' })
          .expect(201);

        clock.set('2026-04-06T03:00:00Z'); // 12:00 Seoul
        await runner.tick();
        const [first] = await occurrences(advertiser, 'day-ad');
        expect(first).toMatchObject({
          status: 'READY',
          messages: { total: 2, ready: 1, completed: 1, fail: 1 },
        });
        const blocked = await query<{ to_number: string; state: string }>(
          t,
          `SELECT m.to_number, m.state FROM messages m JOIN reservations r ON r.id = m.reservation_id
            WHERE r.occurrence_key = $1 ORDER BY m.recipient_index`,
          [first!.occurrenceKey],
        );
        expect(blocked.map((m) => m.state)).toEqual(['RESERVED', 'BLOCKED']);

        await t.http.post('/v1/opt-out/service/stop').set(advertiser.auth).expect(200);
        clock.set('2026-04-07T03:00:00Z');
        await runner.tick();
        const [second] = await occurrences(advertiser, 'day-ad');
        expect(second).toMatchObject({
          sendTime: '2026-04-07T03:00:00.000Z',
          status: 'SKIP',
          skipReason: 'AD_OPT_OUT_SERVICE_REQUIRED',
          messages: { total: 0 },
        });
      });

      it('records an occurrence missed beyond the grace window as STALE, never as a late send', async () => {
        clock.set('2026-05-04T00:00:00Z');
        await create(p, {
          code: 'late',
          weekdays: 'EVERY_DAY',
          time: '10:30',
          startDate: '2026-05-04',
          endDate: '2026-05-31',
        }).expect(201);
        await attach(p, sendBody({ scheduleCode: 'late', messages: recipients('0107400', 1) })).expect(202);
        // Day 1: exactly 10 minutes late still starts. Day 2: 10 minutes and 1 ms late is STALE.
        clock.set('2026-05-04T01:40:00.000Z');
        await runner.tick();
        clock.set('2026-05-05T01:40:00.001Z');
        await runner.tick();
        const [day2, day1] = await occurrences(p, 'late');
        expect(day1).toMatchObject({
          sendTime: '2026-05-04T01:30:00.000Z',
          status: 'READY',
          messages: { total: 1 },
        });
        expect(day2).toMatchObject({
          sendTime: '2026-05-05T01:30:00.000Z',
          status: 'STALE',
          messages: { total: 0 },
        });
      });

      it('makes nothing for a deleted schedule, SKIPs a disabled one, and SKIPs an occurrence without messages', async () => {
        clock.set('2026-06-01T00:00:00Z');
        const daily = {
          weekdays: 'EVERY_DAY',
          time: '12:00',
          startDate: '2026-06-01',
          endDate: '2026-06-30',
        };
        for (const code of ['gone', 'paused', 'empty']) await create(p, { ...daily, code }).expect(201);
        for (const code of ['gone', 'paused'])
          await attach(p, sendBody({ scheduleCode: code, messages: recipients('0107500', 1) })).expect(202);
        await t.http.delete('/v1/schedules/gone?confirmCode=gone').set(p.auth).expect(200);
        await t.http.patch('/v1/schedules/paused').set(p.auth).send({ enabled: false }).expect(200);
        clock.set('2026-06-01T03:00:00Z');
        await runner.tick();
        expect(await occurrences(p, 'gone')).toEqual([]);
        expect(await occurrences(p, 'paused')).toEqual([
          expect.objectContaining({
            status: 'SKIP',
            skipReason: 'SCHEDULE_DISABLED',
            messages: expect.objectContaining({ total: 0 }),
          }),
        ]);
        expect(await occurrences(p, 'empty')).toEqual([
          expect.objectContaining({ status: 'SKIP', skipReason: 'NO_TEMPLATES' }),
        ]);
        const gone = await query(
          t,
          `SELECT r.id FROM reservations r JOIN schedules s ON s.id = r.schedule_id WHERE s.code = 'gone'`,
        );
        expect(gone).toEqual([]);
      });

      it('drops a plan whose lease expired while another runner recorded the occurrence', async () => {
        clock.set('2026-08-03T00:00:00Z');
        const daily = {
          weekdays: 'EVERY_DAY',
          time: '10:00',
          startDate: '2026-08-03',
          endDate: '2026-08-31',
        };
        await create(p, { ...daily, code: 'slow' }).expect(201);
        await attach(p, sendBody({ scheduleCode: 'slow', messages: recipients('0107700', 3) })).expect(202);
        const sending = t.app.get(MessagesService);
        const prepare = sending.prepare.bind(sending);
        let release = () => {};
        const gate = new Promise<void>((resolve) => (release = resolve));
        let entered = () => {};
        const planning = new Promise<void>((resolve) => (entered = resolve));
        let first = true;
        // The first runner stalls while planning, as a process under load would, past its lease.
        const spy = jest.spyOn(sending, 'prepare').mockImplementation(async (...args) => {
          if (first) {
            first = false;
            entered();
            await gate;
          }
          return prepare(...args);
        });
        const droppedBefore = runner.stats.dropped;
        try {
          clock.set('2026-08-03T01:00:00Z');
          const stalled = runner.tick();
          await planning;
          await query(
            t,
            `UPDATE schedules SET lease_expires_at = clock_timestamp() - interval '1 second' WHERE code = 'slow'`,
          );
          const other = new ScheduleRunner(
            t.app.get(DataSource),
            clock,
            sending,
            t.app.get(ConfigService),
            t.app.get(SchedulerRegistry),
          );
          expect((await other.tick()).ready).toBe(1);
          release();
          expect((await stalled).ready).toBe(0);
          expect(runner.stats.dropped).toBe(droppedBefore + 1);
        } finally {
          release();
          spy.mockRestore();
        }
        expect(await occurrences(p, 'slow')).toEqual([
          expect.objectContaining({ status: 'READY', messages: expect.objectContaining({ total: 3 }) }),
        ]);
        const requests = await query(
          t,
          `SELECT id FROM send_requests WHERE response->>'scheduleCode' = 'slow'`,
        );
        expect(requests).toHaveLength(1);
      });

      it('leaves an occurrence already recorded under its key alone, keeping no stray request', async () => {
        clock.set('2026-08-10T00:00:00Z');
        const daily = {
          weekdays: 'EVERY_DAY',
          time: '10:00',
          startDate: '2026-08-10',
          endDate: '2026-08-31',
        };
        await create(p, { ...daily, code: 'keyed' }).expect(201);
        await attach(p, sendBody({ scheduleCode: 'keyed', messages: recipients('0107800', 2) })).expect(202);
        const [schedule] = await query<{ id: string }>(
          t,
          `SELECT id FROM schedules WHERE code = 'keyed' AND deleted_at IS NULL`,
        );
        const key = `${schedule!.id}@2026-08-10T01:00:00.000Z`;
        // As another process would have committed it, with the cursor not (yet) seen here.
        await query(
          t,
          `WITH q AS (INSERT INTO send_requests (project_id, request_time, source) VALUES ($1, $2, 'schedule') RETURNING id)
           INSERT INTO reservations (project_id, request_id, send_at, status, created_at, updated_at, schedule_id, occurrence_key)
           SELECT $1, q.id, $3, 'READY', $2, $2, $4, $5 FROM q`,
          [p.projectId, '2026-08-10T01:00:00Z', '2026-08-10T01:00:00Z', schedule!.id, key],
        );
        clock.set('2026-08-10T01:00:00Z');
        // (other schedules of this file fire or go STALE in the same tick; only this one was taken)
        expect((await runner.tick()).taken).toBe(1);
        expect(await occurrences(p, 'keyed')).toEqual([
          expect.objectContaining({ occurrenceKey: key, messages: expect.objectContaining({ total: 0 }) }),
        ]);
        const stray = await query(
          t,
          `SELECT id FROM send_requests WHERE response->>'scheduleCode' = 'keyed'`,
        );
        expect(stray).toEqual([]);
        const view = await t.http.get('/v1/schedules/keyed').set(p.auth).expect(200);
        expect(view.body.nextSendTime).toBe('2026-08-11T01:00:00.000Z');
      });

      it('two runners ticking at once (two owners of leases) record each occurrence once', async () => {
        clock.set('2026-07-06T00:00:00Z');
        const codes = ['twin-0', 'twin-1', 'twin-2', 'twin-3'];
        for (const [i, code] of codes.entries()) {
          await create(p, {
            code,
            weekdays: 'EVERY_DAY',
            time: '10:00',
            startDate: '2026-07-06',
            endDate: '2026-07-31',
          }).expect(201);
          await attach(p, sendBody({ scheduleCode: code, messages: recipients(`010760${i}`, 2) })).expect(
            202,
          );
        }
        const other = new ScheduleRunner(
          t.app.get(DataSource),
          clock,
          t.app.get(MessagesService),
          t.app.get(ConfigService),
          t.app.get(SchedulerRegistry),
        );
        clock.set('2026-07-06T01:00:00Z');
        const [a, b] = await Promise.all([runner.tick(), other.tick(), runner.tick(), other.tick()]);
        expect(a!.ready + b!.ready).toBe(codes.length);
        for (const code of codes) {
          expect(await occurrences(p, code)).toEqual([
            expect.objectContaining({ status: 'READY', messages: expect.objectContaining({ total: 2 }) }),
          ]);
        }
      });
    });
  });
});

// ---- formerly test/history-explain.e2e.spec.ts
describe('history-explain', () => {
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
});
