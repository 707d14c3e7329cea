// The dispatcher, reservations coming due, delivery reports and the outbox. One file (one module load of the service
// for all of them) with a describe per former file; each still boots its own app on its own fresh database, as before.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DEFAULT_OMNI_CREDENTIALS,
  type RunningSimulator,
  SENS_DEFAULTS,
  startSimulator,
} from '@munja/simulator';
import { Client } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';
import { DISPATCH_CHANNEL, DispatchSignal } from '../src/dispatch/dispatch-signal';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { KEYED_UPDATE, ORDERED_CLAIM, type PlannerSettings, planWith } from '../src/dispatch/sql';
import { CLAIM_STATEMENT, MessageQueue, RECORD_SENT_STATEMENT } from '../src/lifecycle/message-queue';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { reportVendorId } from '../src/reports/report-store';
import { EVENTS_PER_STATEMENT } from '../src/webhooks/webhook-events';
import { bulkFields, numbersCsv, postBulk } from './bulk-support';
import { completed, FAST_DISPATCH, messagesOf, query, unsentCount, waitFor } from './dispatch-support';
import {
  CALLING_NUMBER,
  NO_DISPATCH,
  sendBody,
  sendingProject,
  type SendingProject,
} from './messages-fixtures';
import { fakeJpeg } from './support/images';
import { type PlanNode, planNodes, rootPlan } from './support/query-plan';
import { startTestApp, TestApp } from './test-app';
import { TestClock } from './test-clock';

// ---- formerly test/dispatch.e2e.spec.ts
describe('dispatch', () => {
  describe('dispatch through the embedded simulator', () => {
    let t: TestApp;
    let project: SendingProject;
    let embedded: EmbeddedSimulator;
    let clock: TestClock;

    beforeAll(async () => {
      // Two attempts per plugin so a failing primary hands over quickly.
      t = await startTestApp({ env: { ...FAST_DISPATCH, MUNJA_DISPATCH_MAX_ATTEMPTS: '2' } });
      clock = t.clock as TestClock;
      project = await sendingProject(t, 'Dispatch');
      embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
    });
    afterAll(async () => {
      await t?.close();
    });
    afterEach(() => {
      embedded.simulator.sens.setKnobs({
        errorRates: {},
        rateLimitPerSecond: 0,
        outcomes: { delivered: 1, failed: 0 },
      });
      embedded.simulator.sens.setCredentials({
        accessKey: SENS_DEFAULTS.accessKey,
        secretKey: SENS_DEFAULTS.secretKey,
      });
      embedded.simulator.omni.setKnobs({
        errorRates: {},
        rateLimitPerSecond: 0,
        outcomes: { delivered: 1, failed: 0 },
      });
      t.app.get(PluginRegistry).markHealthy('sens');
    });

    const send = async (body: Record<string, unknown>): Promise<string> => {
      const accepted = await t.http.post('/v1/messages').set(project.auth).send(sendBody(body)).expect(202);
      return accepted.body.requestId as string;
    };
    const rowsOf = (requestId: string) =>
      query<{
        to_number: string;
        plugin_id: string;
        vendor_message_id: string | null;
        attempts: number;
        route_index: number;
        state: string;
      }>(
        t,
        // a claimed message stays QUEUED in its row while its queue row is leased: SENDING, as the API shows it;
        // once the vendor took it its queue row is gone (SENT) and its plugin and vendor id are in its awaiting
        // row until the final outcome writes them to the message row
        `SELECT m.to_number, COALESCE(a.plugin_id, m.plugin_id) AS plugin_id,
                COALESCE(m.vendor_message_id, a.vendor_message_id) AS vendor_message_id, m.attempts, m.route_index,
                CASE WHEN q.lease_owner IS NOT NULL THEN 'SENDING'
                     WHEN q.message_id IS NULL AND m.state IN ('QUEUED', 'SENDING') THEN 'SENT'
                     ELSE m.state END AS state
           FROM messages m LEFT JOIN message_queue q ON q.message_id = m.id
           LEFT JOIN awaiting_reports a ON a.message_id = m.id
          WHERE m.request_id = $1 ORDER BY m.recipient_index`,
        [requestId],
      );

    it('sends an SMS that reaches COMPLETED success with the vendor id and complete time', async () => {
      const requestId = await send({ messages: [{ to: '010-2000-0001' }, { to: '010-2000-0002' }] });
      const messages = await completed(t, project, requestId);
      expect(messages).toHaveLength(2);
      for (const m of messages) {
        expect(m).toMatchObject({ status: 'COMPLETED', statusName: 'success', state: 'DELIVERED' });
        expect(m.completeTime).toEqual(expect.any(String));
      }
      const rows = await rowsOf(requestId);
      expect(rows.every((r) => r.plugin_id === 'sens' && r.vendor_message_id && r.attempts === 0)).toBe(true);
      expect(embedded.simulator.sens.received('01020000001')).toBe(1);
      expect(embedded.simulator.sens.received('01020000002')).toBe(1);
    });

    it('closes a message as fail with the vendor result code when the carrier reports a failure', async () => {
      embedded.simulator.sens.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
      const requestId = await send({ messages: [{ to: '010-2000-0101' }] });
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'fail', state: 'FAILED' });
      expect(message?.statusCode).toEqual(expect.any(String));
      expect(message?.statusCode).not.toBe('0');
    });

    it('sends an MMS after uploading its image to the plugin once', async () => {
      const uploaded = await t.http
        .post('/v1/files')
        .set(project.auth)
        .attach('file', fakeJpeg(640, 480), { filename: 'photo.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const requestId = await send({
        subject: '사진',
        files: [{ fileId: uploaded.body.fileId }],
        messages: [{ to: '010-2000-0201' }, { to: '010-2000-0202' }],
      });
      const messages = await completed(t, project, requestId);
      expect(messages.map((m) => [m.type, m.statusName])).toEqual([
        ['MMS', 'success'],
        ['MMS', 'success'],
      ]);
      // one upload to SENS serves both recipients
      expect(embedded.simulator.sens.store.files.size).toBe(1);
    });

    it('fails over to the next plugin of the route when the primary refuses its credentials, and marks it unhealthy', async () => {
      embedded.simulator.sens.rotateCredentials();
      const requestId = await send({ messages: [{ to: '010-2000-0301' }] });
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ statusName: 'success' });
      const [row] = await rowsOf(requestId);
      expect(row).toMatchObject({ plugin_id: 'omni', route_index: 1 });
      expect(embedded.simulator.sens.received('01020000301')).toBe(0);
      const ready = await t.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(
        t.app
          .get(PluginRegistry)
          .list()
          .find((p) => p.id === 'sens'),
      ).toMatchObject({
        healthy: false,
        problem: expect.stringContaining('credentials refused'),
      });
    });

    it('retries a failing primary with backoff, then hands the message to the next plugin', async () => {
      embedded.simulator.sens.setKnobs({ errorRates: { '503': 1 } });
      const before = embedded.simulator.sens.ctx.counters.snapshot().rejectedRequests;
      const requestId = await send({ messages: [{ to: '010-2000-0401' }] });
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ statusName: 'success' });
      const [row] = await rowsOf(requestId);
      expect(row).toMatchObject({ plugin_id: 'omni', route_index: 1, attempts: 0 });
      // MUNJA_DISPATCH_MAX_ATTEMPTS=2: two refused calls to SENS, then OMNI
      expect(embedded.simulator.sens.ctx.counters.snapshot().rejectedRequests - before).toBe(2);
    });

    it('fails a message with the vendor code when every plugin of its route refuses it for good', async () => {
      // an international number the OMNI fake refuses as a bad recipient would do; here: a permanent 400 from SENS
      embedded.simulator.sens.setKnobs({ errorRates: { '400': 1 } });
      const requestId = await send({ messages: [{ to: '010-2000-0501' }] });
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ statusName: 'fail', state: 'FAILED' });
      expect(message?.statusCode).toBe('400');
    });

    it('slows a rate-limited plugin down without counting attempts, and sends everything once the window passes', async () => {
      embedded.simulator.omni.setKnobs({ rateLimitPerSecond: 1 });
      const before = embedded.simulator.omni.ctx.counters.snapshot();
      const requestId = await send({
        countryCode: '1',
        from: '0212345678',
        messages: [{ to: '2025550101' }, { to: '2025550102' }, { to: '2025550103' }],
      });
      // One goes; the vendor refuses the others (A020) and the plugin is slowed down: while the (test) clock
      // stands still no further send reaches the vendor, however many sweeps run.
      await waitFor(
        async () =>
          (await rowsOf(requestId)).filter((r) => r.state === 'SENT' || r.state === 'DELIVERED').length === 1,
      );
      // (polling requests go on; sends and their refusals must not)
      const held = embedded.simulator.omni.ctx.counters.snapshot();
      const heldCalls = embedded.simulator.omni.sendCalls();
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(embedded.simulator.omni.ctx.counters.snapshot().rejectedRequests).toBe(held.rejectedRequests);
      expect(embedded.simulator.omni.sendCalls()).toBe(heldCalls);
      for (let i = 0; i < 10; i += 1) {
        const rows = await rowsOf(requestId);
        if (rows.every((r) => r.vendor_message_id)) break;
        clock.advance(1100);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      const rows = await rowsOf(requestId);
      expect(rows.every((r) => r.vendor_message_id && r.attempts === 0 && r.plugin_id === 'omni')).toBe(true);
      const after = embedded.simulator.omni.ctx.counters.snapshot();
      expect(after.messages - before.messages).toBe(3);
      expect(after.duplicateRefs).toBe(0);
    });

    it('stops gracefully: in-flight sends are recorded and no claimed row is left SENDING', async () => {
      embedded.simulator.sens.setKnobs({ latencyMs: 300 });
      const dispatcher = t.app.get(Dispatcher);
      const requestId = await send({
        messages: Array.from({ length: 30 }, (_, i) => ({ to: `010-3000-${String(i).padStart(4, '0')}` })),
      });
      await waitFor(async () => (await rowsOf(requestId)).some((r) => r.state === 'SENDING'), 30_000, 5);
      await dispatcher.stop();
      const rows = await rowsOf(requestId);
      expect(rows.filter((r) => r.state === 'SENDING')).toEqual([]);
      embedded.simulator.sens.setKnobs({ latencyMs: 0 });
      dispatcher.start();
      const messages = await completed(t, project, requestId);
      expect(messages.every((m) => m.statusName === 'success')).toBe(true);
      for (let i = 0; i < 30; i += 1)
        expect(embedded.simulator.sens.received(`0103000${String(i).padStart(4, '0')}`)).toBe(1);
    });

    it('closes a sent message as EXPIRED when no report comes within the timeout', async () => {
      embedded.simulator.sens.setKnobs({ reportDelayMs: 1000 * 3600 * 1000 });
      const requestId = await send({ messages: [{ to: '010-2000-0601' }] });
      await waitFor(async () => (await rowsOf(requestId))[0]?.state === 'SENT');
      clock.advance(72 * 3600 * 1000 + 60_000);
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ statusName: 'fail', state: 'EXPIRED', statusCode: 'EXPIRED' });
      embedded.simulator.sens.setKnobs({ reportDelayMs: 0 });
      expect((await messagesOf(t, project, requestId))[0]?.status).toBe('COMPLETED');
    });
  });
});

// ---- formerly test/dispatch-wake.e2e.spec.ts
describe('dispatch-wake', () => {
  /**
   * New work wakes the workers at once: the timed sweep is set to 10 minutes here, so only a wake-up can
   * explain a prompt send. On PostgreSQL the wake-up is a NOTIFY from another connection (LISTEN); on the
   * embedded PGlite, which delivers no NOTIFY across connections, the in-process signal.
   */
  describe('waking the dispatcher', () => {
    let t: TestApp;
    let project: SendingProject;
    let embedded: EmbeddedSimulator;

    beforeAll(async () => {
      t = await startTestApp({ env: { MUNJA_DISPATCH_SWEEP_MS: '600000', MUNJA_REPORT_POLL_MS: '100' } });
      project = await sendingProject(t, 'Wake');
      embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('sends a message queued through the API at once', async () => {
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ messages: [{ to: '010-7000-0000' }] }))
        .expect(202);
      const [message] = await completed(t, project, accepted.body.requestId as string, 5000);
      expect(message?.statusName).toBe('success');
    });

    it('sends a row queued by another writer as soon as that writer signals', async () => {
      const [template] = await query<{ id: string }>(
        t,
        `SELECT id FROM messages ORDER BY request_time LIMIT 1`,
      );
      const [queued] = await query<{ id: string }>(
        t,
        `INSERT INTO messages (project_id, request_id, request_time, recipient_index, to_number, country_code,
                               from_number, type, content_type, subject, content, bytes, parts, encoding, file_ids,
                               status, state, due_at, route, route_index, updated_at)
         SELECT project_id, request_id, request_time, recipient_index + 1000, '01070000001', country_code,
                from_number, type, content_type, subject, content, bytes, parts, encoding, file_ids,
                'READY', 'QUEUED', due_at, route, 0, updated_at
           FROM messages WHERE id = $1
         RETURNING id`,
        [template!.id],
      );
      // another writer's accept writes the queue row with the message (src/lifecycle/accepted-messages.ts)
      await query(
        t,
        `INSERT INTO message_queue (message_id, request_time, project_id, plugin_id, visible_at)
         SELECT id, request_time, project_id, route[1], due_at FROM messages WHERE id = $1`,
        [queued!.id],
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // nothing woke the workers yet: the row waits (the sweep is 10 minutes away)
      expect(embedded.simulator.sens.received('01070000001')).toBe(0);

      const started = Date.now();
      if (t.database === 'postgres') {
        const other = new Client({ connectionString: t.databaseUrl });
        await other.connect();
        try {
          await other.query(`NOTIFY ${DISPATCH_CHANNEL}`);
        } finally {
          await other.end();
        }
      } else {
        t.app.get(DispatchSignal).wake();
      }
      await waitFor(async () => embedded.simulator.sens.received('01070000001') === 1, 30_000, 10);
      // well inside the sweep's 10 minutes even on a loaded machine: only the wake-up can have sent it
      expect(Date.now() - started).toBeLessThan(30_000);
      await waitFor(async () => {
        // sent: its queue row is gone (the row stays QUEUED until its final report)
        const [row] = await query<{ state: string; queued: boolean }>(
          t,
          `SELECT state, EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id) AS queued
             FROM messages m WHERE id = $1`,
          [queued!.id],
        );
        return row?.state === 'DELIVERED' || (row?.state === 'QUEUED' && !row.queued);
      });
    });
  });

  /**
   * stop() wakes the workers once. Two workers that were both inside a claim when it came must both end, not
   * one of them sleep a whole sweep (10 minutes here) on a wake-up the other already took.
   */
  describe('stopping workers that were claiming', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ env: { MUNJA_DISPATCH_SWEEP_MS: '600000', MUNJA_DISPATCH_WORKERS: '2' } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('ends both workers although a single wake-up reached them', async () => {
      const dispatcher = t.app.get(Dispatcher);
      const queue = (
        dispatcher as unknown as { queue: { claim: (...args: unknown[]) => Promise<unknown[]> } }
      ).queue;
      let claiming = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      queue.claim = async () => {
        claiming += 1;
        await gate;
        return [];
      };
      // once both workers sleep in the 10-minute wait, wake them into the gated claim
      const signal = t.app.get(DispatchSignal);
      await waitFor(
        async () => (signal as unknown as { waiters: unknown[] }).waiters.length === 2,
        30_000,
        10,
      );
      signal.wake();
      await waitFor(async () => claiming === 2, 30_000, 10);

      let stopped = false;
      const stopping = dispatcher.stop().then(() => (stopped = true));
      release();
      await waitFor(async () => stopped, 30_000, 10);
      await stopping;
      expect(dispatcher.isRunning).toBe(false);
    });
  });
});

// ---- formerly test/dispatch-reservations.e2e.spec.ts
describe('dispatch-reservations', () => {
  const MINUTE = 60_000;

  /**
   * Reservation release at the edges of the grace window (10 minutes by default) and the checks repeated at
   * send time. Each test starts from its own clock time (the clock only moves forward).
   */
  describe('reservation release', () => {
    let t: TestApp;
    let p: SendingProject;
    let ad: SendingProject;
    let embedded: EmbeddedSimulator;
    const clock = new TestClock('2026-03-02T10:00:00+09:00');

    beforeAll(async () => {
      t = await startTestApp({ env: FAST_DISPATCH, clock });
      p = await sendingProject(t, 'Release');
      ad = await sendingProject(t, 'Release AD', { optOut: true });
      embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
    });
    afterAll(async () => {
      await t?.close();
    });

    const reserve = async (project: SendingProject, sendAt: Date, to: string[], extra: object = {}) =>
      (
        await t.http
          .post('/v1/messages')
          .set(project.auth)
          .send(
            sendBody({
              // the API takes a wall time to the minute: Seoul is UTC+9 all year
              reserveTime: new Date(sendAt.getTime() + 9 * 3600_000)
                .toISOString()
                .slice(0, 16)
                .replace('T', ' '),
              reserveTimeZone: 'Asia/Seoul',
              messages: to.map((n) => ({ to: n })),
              ...extra,
            }),
          )
          .expect(202)
      ).body as { requestId: string; reservationId: string; sendTime: string };
    const statusOf = async (project: SendingProject, id: string) =>
      ((await t.http.get(`/v1/reservations/${id}`).set(project.auth).expect(200)).body as { status: string })
        .status;
    /** a whole minute `minutes` after the clock's next whole minute */
    const inMinutes = (minutes: number) =>
      new Date(Math.ceil(clock.now().getTime() / MINUTE) * MINUTE + minutes * MINUTE);

    it('still starts a reservation exactly at the end of the grace window (send time + 10:00.000)', async () => {
      const sendAt = inMinutes(5);
      const held = await reserve(p, sendAt, ['01060000001']);
      clock.set(new Date(sendAt.getTime() + 10 * MINUTE));
      const [message] = await completed(t, p, held.requestId);
      expect(message).toMatchObject({ statusName: 'success' });
      await waitFor(async () => (await statusOf(p, held.reservationId)) === 'DONE');
      expect(embedded.simulator.sens.received('01060000001')).toBe(1);
    });

    it('marks a reservation STALE one millisecond past the grace window and never sends it late', async () => {
      const sendAt = inMinutes(5);
      const held = await reserve(p, sendAt, ['01060000002', '01060000003']);
      clock.set(new Date(sendAt.getTime() + 10 * MINUTE + 1));
      await waitFor(async () => (await statusOf(p, held.reservationId)) === 'STALE');
      const messages = await completed(t, p, held.requestId);
      for (const m of messages)
        expect(m).toMatchObject({
          status: 'COMPLETED',
          statusName: 'fail',
          statusCode: 'STALE',
          state: 'CANCELED',
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(embedded.simulator.sens.received('01060000002')).toBe(0);
      expect(embedded.simulator.sens.received('01060000003')).toBe(0);
    });

    it('re-checks at send time: an AD recipient who joined the 080 list meanwhile is blocked, the others go', async () => {
      const sendAt = inMinutes(30);
      const held = await reserve(ad, sendAt, ['01060000011', '01060000012'], {
        contentType: 'AD',
        content: '봄 세일',
      });
      await t.http.post('/v1/opt-out/blocklist').set(ad.auth).send({ number: '01060000012' }).expect(201);
      clock.set(sendAt);
      const messages = await completed(t, ad, held.requestId);
      expect(messages.map((m) => [m.to, m.statusName, m.state, m.statusCode])).toEqual([
        ['01060000011', 'success', 'DELIVERED', expect.any(String)],
        ['01060000012', 'fail', 'BLOCKED', 'BLOCKED'],
      ]);
      expect(embedded.simulator.sens.received('01060000012')).toBe(0);
      await waitFor(async () => (await statusOf(ad, held.reservationId)) === 'DONE');
    });

    it('fails a reservation whose calling number is no longer approved at send time, sending nothing', async () => {
      const other = await sendingProject(t, 'Revoked');
      const sendAt = inMinutes(30);
      const held = await reserve(other, sendAt, ['01060000021']);
      // no API revokes an approval; the operator's records change under the reservation
      await query(t, `UPDATE calling_numbers SET status = 'REJECTED' WHERE project_id = $1`, [
        other.projectId,
      ]);
      clock.set(sendAt);
      await waitFor(async () => (await statusOf(other, held.reservationId)) === 'FAIL');
      const [message] = await messagesOf(t, other, held.requestId);
      expect(message).toMatchObject({
        status: 'COMPLETED',
        statusName: 'fail',
        statusCode: 'CALLING_NUMBER_NOT_APPROVED',
      });
      expect(embedded.simulator.sens.received('01060000021')).toBe(0);
    });
  });
});

// ---- formerly test/reservations-dispatch.e2e.spec.ts
describe('reservations-dispatch', () => {
  /** Reservations with the dispatcher running: held until their time on the injectable clock, or never sent. */
  describe('reservations with dispatch', () => {
    let t: TestApp;
    let p: SendingProject;
    let embedded: EmbeddedSimulator;
    // 2026-03-02 10:00 Seoul.
    const clock = new TestClock();

    beforeAll(async () => {
      t = await startTestApp({ env: FAST_DISPATCH, clock });
      p = await sendingProject(t, 'Reserved sends');
      embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
    });

    afterAll(async () => {
      await t?.close();
    });

    const reserve = async (reserveTime: string, to: string[]) =>
      (
        await t.http
          .post('/v1/messages')
          .set(p.auth)
          .send(sendBody({ reserveTime, messages: to.map((n) => ({ to: n })) }))
          .expect(202)
      ).body as { requestId: string; reservationId: string; sendTime: string };
    const reservation = async (id: string) =>
      (await t.http.get(`/v1/reservations/${id}`).set(p.auth).expect(200)).body as { status: string };
    const sweeps = () => new Promise((resolve) => setTimeout(resolve, 500));

    it('holds a reservation until its time, then sends it and marks it DONE', async () => {
      const to = ['01050000001', '01050000002'];
      const held = await reserve('2026-03-02 10:05', to);
      await sweeps();
      expect((await messagesOf(t, p, held.requestId)).map((m) => m.state)).toEqual(['RESERVED', 'RESERVED']);
      expect(embedded.simulator.sens.received(to[0]!)).toBe(0);

      clock.set(held.sendTime);
      const messages = await completed(t, p, held.requestId);
      for (const m of messages) expect(m).toMatchObject({ status: 'COMPLETED', statusName: 'success' });
      expect(to.map((n) => embedded.simulator.sens.received(n))).toEqual([1, 1]);
      await waitFor(async () => (await reservation(held.reservationId)).status === 'DONE');
    });

    it('never sends a canceled reservation', async () => {
      const to = ['01050000011'];
      const held = await reserve('2026-03-02 10:10', to);
      await t.http.post(`/v1/reservations/${held.reservationId}/cancel`).set(p.auth).expect(200);
      clock.set(held.sendTime);
      await sweeps();
      const [message] = await messagesOf(t, p, held.requestId);
      expect(message).toMatchObject({ state: 'CANCELED', status: 'COMPLETED', statusCode: 'CANCELED' });
      expect(embedded.simulator.sens.received(to[0]!)).toBe(0);
      expect((await reservation(held.reservationId)).status).toBe('CANCELED');
    });

    it('cannot cancel a reservation once it has been sent', async () => {
      const held = await reserve('2026-03-02 10:20', ['01050000021']);
      clock.set(held.sendTime);
      await completed(t, p, held.requestId);
      const refused = await t.http
        .post(`/v1/reservations/${held.reservationId}/cancel`)
        .set(p.auth)
        .expect(409);
      expect(refused.body.code).toBe('RESERVATION_NOT_CANCELABLE');
    });
  });
});

// ---- formerly test/dispatch-outcome-retry.e2e.spec.ts
describe('dispatch-outcome-retry', () => {
  const RECIPIENTS = 300;
  const recipient = (i: number) => `0107000${String(i).padStart(4, '0')}`;

  /**
   * The database refuses the first two outcome writes (a trigger the test installs raises, counted by a sequence,
   * which a rollback does not reset). The dispatcher keeps the outcomes and writes them again after a backoff:
   * every message reaches the vendor exactly once and none waits for its lease to be sent again.
   */
  describe('an outcome write the database refuses twice', () => {
    let t: TestApp;
    let embedded: EmbeddedSimulator;

    beforeAll(async () => {
      t = await startTestApp({ env: { ...FAST_DISPATCH, MUNJA_DISPATCH: 'false' } });
      embedded = t.app.get<EmbeddedSimulator>(EMBEDDED_SIMULATOR);
      await query(t, `CREATE SEQUENCE test_outcome_refusals`);
      await query(
        t,
        `CREATE FUNCTION test_refuse_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF nextval('test_outcome_refusals') <= 2 THEN
             RAISE EXCEPTION 'test: outcome write refused';
           END IF;
           RETURN NEW;
         END $$`,
      );
      await query(
        t,
        // a vendor's acceptance is written as the message's awaiting row (its queue row goes in the same statement)
        `CREATE TRIGGER test_refuse_outcome BEFORE INSERT ON awaiting_reports FOR EACH ROW
           EXECUTE FUNCTION test_refuse_outcome()`,
      );
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it('retries the write and sends every message exactly once', async () => {
      const project = await sendingProject(t, 'Refused');
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ messages: Array.from({ length: RECIPIENTS }, (_, i) => ({ to: recipient(i) })) }))
        .expect(202);
      const dispatcher = t.app.get(Dispatcher);
      dispatcher.start();
      await waitFor(async () => (await unsentCount(t, [accepted.body.requestId])) === 0, 60_000, 50);
      const [refusals] = await query<{ last_value: string }>(
        t,
        `SELECT last_value FROM test_outcome_refusals`,
      );
      // two refused writes, then every awaiting row of the accepted ones
      expect(Number(refusals?.last_value)).toBe(2 + RECIPIENTS);
      for (let i = 0; i < RECIPIENTS; i += 1)
        expect([recipient(i), embedded.simulator.sens.received(recipient(i))]).toEqual([recipient(i), 1]);
      expect(dispatcher.stats.recovered).toBe(0);
      expect(dispatcher.stats.sent).toBe(RECIPIENTS);
    }, 120_000);
  });
});

// ---- formerly test/dispatch-plans.e2e.spec.ts
describe('dispatch-plans', () => {
  /**
   * The dispatcher's batch statements on a day that has just taken a bulk send and was never analyzed (the
   * state a campaign leaves for a minute or more): each is run for real (EXPLAIN ANALYZE, rolled back) under the
   * planner settings the dispatcher gives it, and must touch a batch's worth of rows, not the whole day.
   */
  describe('dispatch statement plans on a freshly filled day', () => {
    let t: TestApp;
    let db: DataSource;
    const rows = 20_000;
    const batch = 500;

    beforeAll(async () => {
      t = await startTestApp({
        env: { MUNJA_DISPATCH: 'false', MUNJA_RETENTION: 'false', MUNJA_WEBHOOKS: 'false' },
      });
      db = t.app.get(DataSource);
      const project = await sendingProject(t, 'Plans');
      await postBulk(t, project, bulkFields(), numbersCsv(rows)).expect(202);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });

    /** Runs `statement` under `settings` with EXPLAIN ANALYZE in a transaction that is rolled back. */
    const explain = async (
      settings: PlannerSettings,
      statement: string,
      params: unknown[],
    ): Promise<PlanNode[]> => {
      const runner = db.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await planWith(runner.manager, settings);
        return planNodes(rootPlan(await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, params)));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    };
    /** Rows read from the partitions of messages (all loops; the test clock's day is in DEFAULT). */
    const rowsReadFromDay = (nodes: PlanNode[]) =>
      nodes
        .filter((node) => node['Relation Name']?.startsWith('messages_'))
        .reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1), 0);

    it('compiles nothing with JIT: a denied seq scan costs the planner past the JIT thresholds', async () => {
      const runner = db.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await planWith(runner.manager, KEYED_UPDATE);
        // awaiting_reports has no index on sent_at: the report expiry's scan of it is a denied seq scan
        const [explained] = (await runner.query(
          `EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM awaiting_reports WHERE sent_at < now()`,
        )) as { 'QUERY PLAN': [{ JIT?: unknown }] }[];
        expect(explained!['QUERY PLAN'][0].JIT).toBeUndefined();
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });

    it('a claim walks message_queue_visible in visibility order and stops at the batch: no sort, no bitmap of every queued row', async () => {
      const now = new Date(Date.now() + 60_000);
      const nodes = await explain(ORDERED_CLAIM, CLAIM_STATEMENT, [
        now,
        batch,
        'plans-test',
        new Date(now.getTime() + 60_000),
        [],
      ]);
      const types = nodes.map((node) => node['Node Type']);
      expect(types).not.toContain('Sort');
      expect(types).not.toContain('Bitmap Heap Scan');
      expect(types).not.toContain('Seq Scan');
      // the walk first (the lease update then finds each row it took by primary key)
      const queueScans = nodes.filter(
        (node) => node['Relation Name'] === 'message_queue' && node['Node Type'] !== 'ModifyTable',
      );
      expect(queueScans.map((node) => node['Index Name'])).toEqual([
        'message_queue_visible',
        'message_queue_pkey',
      ]);
      const claimed = nodes.find((node) => node['Node Type'] === 'Limit');
      expect(claimed?.['Actual Rows']).toBe(batch);
      // the due walk and the key probes of the UPDATE: a few rows per claimed row, never the day's 20,000
      expect(rowsReadFromDay(nodes)).toBeLessThanOrEqual(batch * 3);
    });

    it('an outcome update finds each of its rows by primary key: no hash of the day', async () => {
      const keys = await query<{ id: string; request_time: string }>(
        t,
        `SELECT id, to_char(request_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS request_time
           FROM messages ORDER BY recipient_index LIMIT $1`,
        [batch],
      );
      const nodes = await explain(KEYED_UPDATE, RECORD_SENT_STATEMENT, [
        new Date(),
        keys.map((k) => k.id),
        keys.map(() => 'sens'),
        keys.map((_, i) => `vendor-${i}`),
        keys.map(() => null),
        keys.map((k) => k.request_time),
      ]);
      const types = nodes.map((node) => node['Node Type']);
      expect(types).not.toContain('Hash Join');
      expect(types).not.toContain('Seq Scan');
      expect(rowsReadFromDay(nodes)).toBe(batch);
    });
  });
});

// ---- the queue's claim: no row lock, one claim after another
describe('claim-lock', () => {
  /**
   * A claim leases its rows without locking them first (`FOR UPDATE SKIP LOCKED` wrote a WAL record per row):
   * claimers take the CLAIM_LOCK advisory lock one after another, and the lease update re-checks each row. On
   * PostgreSQL the transactions overlap; on PGlite they are serialized. Either way no row is leased twice.
   */
  describe(`claims of the message queue (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
    let t: TestApp;
    let db: DataSource;
    const rows = 1_000;

    beforeAll(async () => {
      t = await startTestApp({
        env: { MUNJA_DISPATCH: 'false', MUNJA_RETENTION: 'false', MUNJA_WEBHOOKS: 'false' },
      });
      db = t.app.get(DataSource);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
    });
    const fill = async () => {
      await db.query(`DELETE FROM message_queue`);
      const project = await sendingProject(t, `Claims ${Date.now()}`);
      await postBulk(t, project, bulkFields(), numbersCsv(rows)).expect(202);
      const [queued] = await query<{ n: number }>(t, `SELECT count(*)::int AS n FROM message_queue`);
      expect(queued?.n).toBe(rows);
    };
    const soon = () => new Date(Date.now() + 60_000);
    const later = () => new Date(Date.now() + 600_000);

    it('four workers claiming at once take every row exactly once, each claim a full batch until the last', async () => {
      await fill();
      const queue = new MessageQueue(db);
      const batch = 37;
      const owners = new Map<string, string>();
      const sizes: number[] = [];
      const worker = async (owner: string) => {
        for (;;) {
          const claimed = await queue.claim(owner, batch, soon(), later(), []);
          sizes.push(claimed.length);
          if (claimed.length === 0) return;
          for (const m of claimed) {
            expect([m.id, owners.get(m.id)]).toEqual([m.id, undefined]);
            owners.set(m.id, owner);
          }
        }
      };
      await Promise.all(['w1', 'w2', 'w3', 'w4'].map(worker));
      expect(owners.size).toBe(rows);
      // each claim starts after the one before committed and walks past its leases: a claim comes back short
      // only when the queue runs out (1,000 = 27 × 37 + 1), never because another claimer took its rows
      expect(sizes.filter((n) => n > 0 && n < batch)).toEqual([rows % batch]);
      const leased = await query<{ lease_owner: string; n: number }>(
        t,
        `SELECT lease_owner, count(*)::int AS n FROM message_queue GROUP BY 1`,
      );
      const counts = new Map<string, number>();
      for (const owner of owners.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      expect(new Map(leased.map((r) => [r.lease_owner, r.n]))).toEqual(counts);
    }, 120_000);

    it('never leases a row twice, even to a claim that started before another one committed without the lock', async () => {
      await fill();
      const first = db.createQueryRunner();
      const second = db.createQueryRunner();
      const claim = async (runner: QueryRunner, owner: string) => {
        await planWith(runner.manager, ORDERED_CLAIM);
        const result = (await runner.query(CLAIM_STATEMENT, [soon(), 100, owner, later(), []])) as
          { id: string }[] | [{ id: string }[], number];
        const list = (Array.isArray(result[0]) ? result[0] : result) as { id: string }[];
        return list.map((r) => r.id);
      };
      try {
        await first.startTransaction();
        const firstIds = await claim(first, 'first');
        // The second claim runs its statement while the first is uncommitted (no CLAIM_LOCK taken): on
        // PostgreSQL its walk sees the same head, waits on those rows, and re-checks them once the first
        // commits; PGlite runs it after the first commits.
        const secondClaim = (async () => {
          await second.startTransaction();
          const ids = await claim(second, 'second');
          await second.commitTransaction();
          return ids;
        })();
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.commitTransaction();
        const secondIds = await secondClaim;
        expect(firstIds).toHaveLength(100);
        expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
        const [owned] = await query<{ first: number; second: number }>(
          t,
          `SELECT count(*) FILTER (WHERE lease_owner = 'first')::int AS first,
                  count(*) FILTER (WHERE lease_owner = 'second')::int AS second FROM message_queue`,
        );
        expect(owned).toEqual({ first: 100, second: secondIds.length });
      } finally {
        await first.release();
        await second.release();
      }
    }, 120_000);
  });
});

// ---- formerly test/skip-locked.e2e.spec.ts
describe('skip-locked', () => {
  /**
   * The message queue relies on `FOR UPDATE SKIP LOCKED` claims in concurrent transactions. On PostgreSQL they
   * run in parallel; on PGlite (one session behind pglite-socket) they are serialized. Either way no row may be
   * claimed twice and none lost. This test runs on whichever database path the suite runs on.
   */
  describe(`FOR UPDATE SKIP LOCKED claims (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
    let t: TestApp;
    let dataSource: DataSource;

    beforeAll(async () => {
      t = await startTestApp();
      dataSource = t.app.get(DataSource);
      await dataSource.query(`CREATE TABLE claim_probe (id integer PRIMARY KEY, claimed_by text)`);
    });

    afterAll(async () => {
      await t?.close();
    });

    async function reset(rows: number): Promise<void> {
      await dataSource.query(`DELETE FROM claim_probe`);
      await dataSource.query(`INSERT INTO claim_probe (id) SELECT g FROM generate_series(1, $1) AS g`, [
        rows,
      ]);
    }

    async function claim(runner: QueryRunner, worker: string, limit: number): Promise<number[]> {
      const rows: { id: number }[] = await runner.query(
        `SELECT id FROM claim_probe WHERE claimed_by IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const ids = rows.map((row) => row.id);
      if (ids.length > 0) {
        await runner.query(`UPDATE claim_probe SET claimed_by = $1 WHERE id = ANY($2::int[])`, [worker, ids]);
      }
      return ids;
    }

    it('gives a second transaction other rows while the first still holds its claim', async () => {
      await reset(10);
      const first = dataSource.createQueryRunner();
      const second = dataSource.createQueryRunner();
      try {
        await first.startTransaction();
        const firstIds = await claim(first, 'first', 5);
        // The second claimer starts while the first transaction is open: PostgreSQL skips the locked rows at
        // once; PGlite holds the second transaction until the first commits, which then sees them taken.
        const secondClaim = (async () => {
          await second.startTransaction();
          const ids = await claim(second, 'second', 5);
          await second.commitTransaction();
          return ids;
        })();
        await first.commitTransaction();
        const secondIds = await secondClaim;
        expect(firstIds).toEqual([1, 2, 3, 4, 5]);
        expect(secondIds).toEqual([6, 7, 8, 9, 10]);
      } finally {
        await first.release();
        await second.release();
      }
    });

    it('claims every row exactly once with four concurrent workers', async () => {
      await reset(200);
      const claimed = new Map<number, string>();
      const worker = async (name: string): Promise<void> => {
        const runner = dataSource.createQueryRunner();
        try {
          for (;;) {
            await runner.startTransaction();
            const ids = await claim(runner, name, 7);
            await runner.commitTransaction();
            if (ids.length === 0) return;
            for (const id of ids) {
              expect(claimed.has(id)).toBe(false);
              claimed.set(id, name);
            }
          }
        } finally {
          await runner.release();
        }
      };
      await Promise.all(['a', 'b', 'c', 'd'].map(worker));
      expect(claimed.size).toBe(200);
      const rows: { n: string }[] = await dataSource.query(
        `SELECT count(*) AS n FROM claim_probe WHERE claimed_by IS NULL`,
      );
      expect(Number(rows[0]?.n)).toBe(0);
    });

    it('rolls a claim back: the rows become claimable again', async () => {
      await reset(3);
      const runner = dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        expect(await claim(runner, 'crashed', 3)).toEqual([1, 2, 3]);
        await runner.rollbackTransaction();
        await runner.startTransaction();
        expect(await claim(runner, 'next', 3)).toEqual([1, 2, 3]);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    });

    it('recovers from a failed statement inside a transaction without stalling other connections', async () => {
      await reset(2);
      const failing = dataSource.createQueryRunner();
      try {
        await failing.startTransaction();
        await expect(failing.query(`INSERT INTO claim_probe (id) VALUES (1)`)).rejects.toThrow(
          /duplicate key/,
        );
        await failing.rollbackTransaction();
      } finally {
        await failing.release();
      }
      const rows: { n: string }[] = await dataSource.query(`SELECT count(*) AS n FROM claim_probe`);
      expect(Number(rows[0]?.n)).toBe(2);
    });
  });
});

// ---- formerly test/outbox.e2e.spec.ts
describe('outbox', () => {
  const OWNER = 'outbox-test';

  /**
   * The transactional outbox (lifecycle/transition-events.ts): a lifecycle statement's webhook events and metric
   * counts are written in its transaction. Driven through the lifecycle's own statements, with the delivery worker
   * off so the events stay in the table to be read.
   */
  describe('the transactional outbox', () => {
    let t: TestApp;
    let p: SendingProject;
    let queue: MessageQueue;

    beforeAll(async () => {
      t = await startTestApp({
        env: { ...NO_DISPATCH, MUNJA_WEBHOOKS: 'false', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
      });
      p = await sendingProject(t, 'Outbox');
      await t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: 'http://127.0.0.1:9/hooks', eventTypes: ['message.status_changed'] })
        .expect(201);
      queue = new MessageQueue(t.app.get(DataSource));
    });
    afterAll(async () => {
      await t?.close();
    });

    /** Accepts one message, then claims every visible one (SENDING), as a dispatcher would. */
    const acceptAndClaimAll = async (to: string) => {
      const sent = await t.http
        .post('/v1/messages')
        .set(p.auth)
        .send(sendBody({ messages: [{ to }] }))
        .expect(202);
      const claimed = await queue.claim(
        OWNER,
        10,
        new Date(Date.now() + 60_000),
        new Date(Date.now() + 120_000),
        [],
      );
      return { requestId: sent.body.requestId as string, claimed };
    };
    /** Accepts one message and claims it (SENDING), as a dispatcher would. */
    const acceptAndClaim = async (to: string) => {
      const { requestId, claimed } = await acceptAndClaimAll(to);
      expect(claimed.map((m) => m.requestId)).toEqual([requestId]);
      return claimed[0]!;
    };
    const eventsOf = (messageId: string) =>
      query<{ state: string; data: Record<string, unknown> }>(
        t,
        `SELECT data->>'state' AS state, data FROM webhook_events
          WHERE project_id = $1 AND data->>'messageId' = $2 ORDER BY created_at, data->>'state' DESC`,
        [p.projectId, messageId],
      );
    const counted = async (metric: string, state: string) => {
      const [row] = await query<{ n: number }>(
        t,
        `SELECT COALESCE(sum(value), 0)::int AS n FROM metric_counters WHERE metric = $1 AND state = $2`,
        [metric, state],
      );
      return row!.n;
    };
    /** The row's state, SENT once its queue row is gone (the vendor's acceptance writes only the awaiting row). */
    const stateOf = async (id: string) =>
      (
        await query<{ state: string }>(
          t,
          `SELECT CASE WHEN m.state IN ('QUEUED', 'SENDING')
                        AND NOT EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id)
                       THEN 'SENT' ELSE m.state END AS state
             FROM messages m WHERE id = $1`,
          [id],
        )
      )[0]!.state;

    it('makes no event of a claim, and one of the vendor acceptance carrying the API view of the message', async () => {
      const sendingBefore = await counted('message_state', 'SENDING');
      const message = await acceptAndClaim('01020000001');
      // Accepted: an event; claimed (SENDING, bookkeeping): counted, but no event.
      expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);
      expect(await counted('message_state', 'SENDING')).toBe(sendingBefore + 1);

      const sent = { ...message, step: { kind: 'SENT', vendorMessageId: 'vendor-1' } as const };
      expect(await queue.record(OWNER, [sent], new Date())).toBe(1);
      const events = await eventsOf(message.id);
      expect(events.map((e) => e.state)).toEqual(['QUEUED', 'SENT']);
      // The payload is the API's view of the message (without text and files) plus the plugin.
      const { body: view } = await t.http.get(`/v1/messages/${message.id}`).set(p.auth).expect(200);
      const { subject, content, bytes, parts, encoding, files, ...standing } = view;
      void [subject, content, bytes, parts, encoding, files];
      expect(events[1]!.data).toEqual({ ...standing, pluginId: message.pluginId });
      expect(standing).toMatchObject({ status: 'PROCESSING', state: 'SENT' });
    });

    it('rolls the state change back when its event cannot be written, and commits both once it can', async () => {
      const message = await acceptAndClaim('01020000002');
      const sentBefore = await counted('message_state', 'SENT');
      await query(
        t,
        `ALTER TABLE webhook_events ADD CONSTRAINT test_refuse_sent CHECK (data->>'state' <> 'SENT') NOT VALID`,
      );
      const sent = { ...message, step: { kind: 'SENT', vendorMessageId: 'vendor-2' } as const };
      try {
        await expect(queue.record(OWNER, [sent], new Date())).rejects.toThrow(/test_refuse_sent/);
      } finally {
        await query(t, `ALTER TABLE webhook_events DROP CONSTRAINT test_refuse_sent`);
      }
      // Nothing of the change stayed: the message is still QUEUED (claimed), not counted as SENT, no SENT event.
      expect(await stateOf(message.id)).toBe('QUEUED');
      expect(await counted('message_state', 'SENT')).toBe(sentBefore);
      expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);

      expect(await queue.record(OWNER, [sent], new Date())).toBe(1);
      expect(await stateOf(message.id)).toBe('SENT');
      expect(await counted('message_state', 'SENT')).toBe(sentBefore + 1);
      expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED', 'SENT']);
    });

    it('makes no event when a claimed message goes back to the queue', async () => {
      const message = await acceptAndClaim('01020000003');
      const queuedBefore = await counted('message_state', 'QUEUED');
      expect(await queue.release(OWNER, [message], new Date())).toBe(1);
      expect(await stateOf(message.id)).toBe('QUEUED');
      expect(await counted('message_state', 'QUEUED')).toBe(queuedBefore + 1);
      expect((await eventsOf(message.id)).map((e) => e.state)).toEqual(['QUEUED']);
    });

    it('shows a claimed message SENDING (PROCESSING) from its lease, and QUEUED (READY) once handed back', async () => {
      // the message the test before handed back is claimed again beside this one
      const { requestId, claimed } = await acceptAndClaimAll('01020000004');
      const message = claimed.find((m) => m.toNumber === '01020000004')!;
      const shown = async () => {
        const { body } = await t.http.get(`/v1/messages/${message.id}`).set(p.auth).expect(200);
        const listed = async (status: string) => {
          const { body: page } = await t.http
            .get(`/v1/messages?status=${status}&to=01020000004`)
            .set(p.auth)
            .expect(200);
          return (page.items as { messageId: string; status: string }[])
            .filter((m) => m.messageId === message.id)
            .map((m) => m.status);
        };
        return {
          view: [body.status, body.state],
          ready: await listed('READY'),
          processing: await listed('PROCESSING'),
        };
      };
      expect(await stateOf(message.id)).toBe('QUEUED');
      expect(await shown()).toEqual({
        view: ['PROCESSING', 'SENDING'],
        ready: [],
        processing: ['PROCESSING'],
      });
      const progress = () =>
        t.http
          .get(`/v1/requests/${requestId}/progress`)
          .set(p.auth)
          .expect(200)
          .then((r) => r.body);
      expect(await progress()).toMatchObject({ total: 1, queued: 0, sending: 1 });
      expect(await queue.release(OWNER, claimed, new Date())).toBe(claimed.length);
      expect(await shown()).toEqual({ view: ['READY', 'QUEUED'], ready: ['READY'], processing: [] });
    });

    it('announces every message of a bulk larger than one statement of events, each once', async () => {
      const recipients = EVENTS_PER_STATEMENT + 7;
      const sent = await postBulk(t, p, bulkFields(), numbersCsv(recipients)).expect(202);
      expect(sent.body.accepted).toBe(recipients);
      const [row] = await query<{ events: number; messages: number; deliveries: number }>(
        t,
        `SELECT count(*)::int AS events, count(DISTINCT data->>'messageId')::int AS messages,
                (SELECT count(*)::int FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                  WHERE e.data->>'requestId' = $2) AS deliveries
           FROM webhook_events WHERE project_id = $1 AND data->>'requestId' = $2`,
        [p.projectId, sent.body.requestId],
      );
      expect(row).toEqual({ events: recipients, messages: recipients, deliveries: recipients });
    }, 120_000);

    it('leaves no trigger or trigger function behind on messages and reservations', async () => {
      const triggers = await query<{ tgname: string }>(
        t,
        `SELECT tgname FROM pg_trigger WHERE NOT tgisinternal
            AND tgrelid IN ('messages'::regclass, 'reservations'::regclass) ORDER BY tgname`,
      );
      // only the check of a message's send request (1766000000011-request-check.ts), no outbox trigger
      expect(triggers).toEqual([{ tgname: 'messages_request_check' }, { tgname: 'messages_request_kept' }]);
      const functions = await query<{ proname: string }>(
        t,
        `SELECT proname FROM pg_proc WHERE proname LIKE 'munja\\_%'`,
      );
      expect(functions).toEqual([]);
    });
  });
});

// ---- formerly test/reports.e2e.spec.ts
describe('reports', () => {
  const SECRET = 'report-secret-0123456789abcdef';

  /**
   * Delivery reports in: OMNI configured for webhooks (the simulator POSTs its reports to the server), SENS
   * polled. The simulator and the server share the test clock.
   */
  describe('delivery reports in', () => {
    let t: TestApp;
    let sim: RunningSimulator;
    let project: SendingProject;
    const clock = new TestClock();

    beforeAll(async () => {
      sim = await startSimulator({
        now: () => clock.now().getTime(),
        sens: { callingNumbers: [CALLING_NUMBER] },
        omni: { reportTickMs: 20, webhookBackoffMs: 20 },
      });
      t = await startTestApp({
        clock,
        env: {
          ...FAST_DISPATCH,
          MUNJA_REPORT_SECRET: SECRET,
          MUNJA_PLUGINS: JSON.stringify([
            {
              package: '@munja/provider-sens',
              config: {
                serviceId: SENS_DEFAULTS.serviceId,
                accessKey: SENS_DEFAULTS.accessKey,
                secretKey: SENS_DEFAULTS.secretKey,
                baseUrl: sim.url,
              },
            },
            {
              package: '@munja/provider-omni',
              config: { ...DEFAULT_OMNI_CREDENTIALS, baseUrl: sim.url, reports: 'webhook' },
            },
          ]),
        },
      });
      sim.omni.setWebhookUrl(`${t.url}/v1/reports/omni/${SECRET}`);
      project = await sendingProject(t, 'Reports');
    });
    afterAll(async () => {
      await t?.close();
      await sim?.stop();
    });

    const sendAbroad = async (to: string): Promise<string> => {
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ countryCode: '1', content: 'Your code is 1234', messages: [{ to }] }))
        .expect(202);
      return accepted.body.requestId as string;
    };
    const rowOf = async (requestId: string) =>
      (
        await query<{ id: string; vendor_message_id: string; state: string; status_name: string | null }>(
          t,
          `SELECT id, vendor_message_id, state, status_name FROM messages WHERE request_id = $1`,
          [requestId],
        )
      )[0]!;
    const reportsOf = (vendorMessageId: string) =>
      query<{ status: string; message_id: string | null; source: string }>(
        t,
        `SELECT d.status, d.message_id, d.source FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id
          WHERE ${reportVendorId('d', 'm')} = $1 ORDER BY d.id`,
        [vendorMessageId],
      );
    const webhook = (body: unknown, path = `/v1/reports/omni/${SECRET}`) =>
      t.http.post(path).send(body as object);

    it('closes an international message as success from the vendor webhook, keeping every report', async () => {
      const requestId = await sendAbroad('2025550111');
      const [message] = await completed(t, project, requestId);
      expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'success', state: 'DELIVERED' });
      expect(message?.telcoCode).toEqual(expect.any(String));
      const row = await rowOf(requestId);
      // OMNI reports an international message twice: the relay's acceptance (SENT), then the DLR
      const reports = await waitFor(async () => {
        const list = await reportsOf(row.vendor_message_id);
        return list.length === 2 ? list : undefined;
      });
      // (the simulator POSTs concurrently: they may arrive in either order, and either order ends the same)
      expect([...reports].sort((a, b) => a.status.localeCompare(b.status))).toEqual([
        { status: 'DELIVERED', message_id: row.id, source: 'webhook' },
        { status: 'SENT', message_id: row.id, source: 'webhook' },
      ]);
    });

    it("lists a message's reports for its project (GET /v1/messages/:id/reports), 404 for another project", async () => {
      const requestId = await sendAbroad('2025550113');
      const [message] = await completed(t, project, requestId);
      const path = `/v1/messages/${message!.messageId}/reports`;
      const items = await waitFor(async () => {
        const { body } = await t.http.get(path).set(project.auth).expect(200);
        return body.items.length === 2 ? (body.items as Array<Record<string, unknown>>) : undefined;
      });
      expect(items.map((r) => r.status).sort()).toEqual(['DELIVERED', 'SENT']);
      for (const report of items) {
        expect(report).toMatchObject({ pluginId: 'omni', source: 'webhook', receivedAt: expect.any(String) });
      }
      expect(items.find((r) => r.status === 'DELIVERED')).toMatchObject({ completedAt: expect.any(String) });
      const other = await sendingProject(t, 'Someone else');
      const refused = await t.http.get(path).set(other.auth).expect(404);
      expect(refused.body).toMatchObject({ code: 'NOT_FOUND', field: 'messageId' });
    });

    it('closes a message as fail with the vendor code when the carrier reports a failure', async () => {
      sim.omni.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
      try {
        const requestId = await sendAbroad('2025550112');
        const [message] = await completed(t, project, requestId);
        expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'fail', state: 'FAILED' });
        expect(message?.statusCode).toEqual(expect.any(String));
        expect(message?.statusCode).not.toBe('10000');
      } finally {
        sim.omni.setKnobs({ outcomes: { delivered: 1, failed: 0 } });
      }
    });

    it('never reports a completeTime before the sendTime, though the vendor reports whole seconds', async () => {
      // the message is due 700 ms into a second; SENS reports its completion truncated to the second
      clock.set(new Date(Math.ceil(clock.now().getTime() / 1000) * 1000 + 700));
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ messages: [{ to: '010-5555-0700' }] }))
        .expect(202);
      const [message] = await completed(t, project, accepted.body.requestId as string);
      expect(message).toMatchObject({ status: 'COMPLETED', statusName: 'success' });
      const [report] = await query<{ completed_at: Date }>(
        t,
        `SELECT d.completed_at FROM delivery_reports d LEFT JOIN messages m ON m.id = d.message_id
          WHERE d.status = 'DELIVERED' AND d.plugin_id = 'sens'
            AND ${reportVendorId('d', 'm')} = (SELECT vendor_message_id FROM messages WHERE request_id = $1)`,
        [accepted.body.requestId],
      );
      // the vendor's own time is earlier than the send time: the clamp is what keeps the order
      expect(report!.completed_at.getTime()).toBeLessThan(Date.parse(message!.sendTime as string));
      expect(Date.parse(message!.completeTime!)).toBeGreaterThanOrEqual(
        Date.parse(message!.sendTime as string),
      );
    });

    it('never moves a final status back: duplicate, contradicting and late intermediate reports are kept but change nothing', async () => {
      const requestId = await sendAbroad('2025550113');
      await completed(t, project, requestId);
      const row = await rowOf(requestId);
      await waitFor(async () => (await reportsOf(row.vendor_message_id)).length === 2);
      const calls = sim.omni.webhookCalls().filter((c) => c.body.msgKey === row.vendor_message_id);
      const intermediate = calls.find((c) => c.body.reportType === '0');
      const final = calls.find((c) => c.body.reportType !== '0');
      expect(final).toBeDefined();
      await webhook(final!.body).expect(200); // duplicate
      await webhook({ ...final!.body, reportCode: '20001', reportText: 'failed late' }).expect(200); // contradicting
      await webhook(intermediate!.body).expect(200); // out of order
      const after = await rowOf(requestId);
      expect(after).toMatchObject({ state: 'DELIVERED', status_name: 'success' });
      expect((await reportsOf(row.vendor_message_id)).map((r) => r.status).slice(2)).toEqual([
        'DELIVERED',
        'FAILED',
        'SENT',
      ]);
    });

    it('keeps and logs a report for an unknown id, answering 200 and carrying on', async () => {
      const unknown = {
        msgKey: 'no-such-message-1',
        serviceType: 'SMS',
        msgType: 'S',
        reportType: '1',
        reportCode: '10000',
        reportText: 'success',
        reportTime: '2026-03-02T10:00:00.000',
      };
      await webhook(unknown).expect(200);
      expect(await reportsOf('no-such-message-1')).toEqual([
        { status: 'DELIVERED', message_id: null, source: 'webhook' },
      ]);
      // and the service still works
      const requestId = await sendAbroad('2025550114');
      await completed(t, project, requestId);
    });

    it('authenticates webhooks by the configured secret, in the path or a header', async () => {
      const body = {
        msgKey: 'no-such-message-2',
        reportCode: '10000',
        reportTime: '2026-03-02T10:00:00.000',
      };
      await webhook(body, '/v1/reports/omni/wrong-secret-0000000000').expect(404);
      await webhook(body, '/v1/reports/omni').expect(404);
      await t.http.post('/v1/reports/omni').set('x-munja-report-secret', SECRET).send(body).expect(200);
      // SENS takes no webhooks (it is polled), and an unknown plugin is no endpoint
      await webhook(body, `/v1/reports/sens/${SECRET}`).expect(404);
      await webhook(body, `/v1/reports/nope/${SECRET}`).expect(404);
      const bad = await webhook({ reportCode: '10000' }).expect(400);
      expect(bad.body).toMatchObject({ code: 'INVALID_REPORT' });
    });

    it('polls SENS for the results of its sent messages and closes them', async () => {
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ messages: [{ to: '010-4000-0001' }, { to: '010-4000-0002' }] }))
        .expect(202);
      const messages = await completed(t, project, accepted.body.requestId as string);
      expect(messages.map((m) => m.statusName)).toEqual(['success', 'success']);
      const rows = await query<{ source: string }>(
        t,
        `SELECT d.source FROM delivery_reports d JOIN messages m ON m.id = d.message_id WHERE m.request_id = $1`,
        [accepted.body.requestId],
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['polling']));
    });
  });
});
