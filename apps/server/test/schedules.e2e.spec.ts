import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { MessagesService } from '../src/messages/messages.service';
import { ScheduleRunner } from '../src/schedules/schedule-runner';
import { query } from './dispatch-support';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';
import { TestClock } from './test-clock';

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
      const refused = async (body: Record<string, unknown>, status: number, code: string, field: string) => {
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
      const daily = { weekdays: 'EVERY_DAY', time: '22:00', startDate: '2026-04-01', endDate: '2026-04-30' };
      await create(ad, { ...daily, code: 'night-ad' }).expect(201);
      await create(ad, { ...daily, code: 'night-mixed' }).expect(201);
      const adBody = { contentType: 'AD', content: '봄 세일', messages: recipients('0107200', 2) };
      await attach(ad, sendBody({ ...adBody, scheduleCode: 'night-ad' })).expect(202);
      const adTemplate = await attach(ad, sendBody({ ...adBody, scheduleCode: 'night-mixed' })).expect(202);
      await attach(ad, sendBody({ scheduleCode: 'night-mixed', messages: recipients('0107300', 1) })).expect(
        202,
      );

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
      const daily = { weekdays: 'EVERY_DAY', time: '12:00', startDate: '2026-06-01', endDate: '2026-06-30' };
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
      const daily = { weekdays: 'EVERY_DAY', time: '10:00', startDate: '2026-08-03', endDate: '2026-08-31' };
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
      const daily = { weekdays: 'EVERY_DAY', time: '10:00', startDate: '2026-08-10', endDate: '2026-08-31' };
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
      const stray = await query(t, `SELECT id FROM send_requests WHERE response->>'scheduleCode' = 'keyed'`);
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
        await attach(p, sendBody({ scheduleCode: code, messages: recipients(`010760${i}`, 2) })).expect(202);
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
