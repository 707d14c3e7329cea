import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@munja/simulator';
import type { Clock } from '../src/common/clock';
import { DATABASE_LOCATION, type DatabaseLocation } from '../src/database/database-location';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { ScheduleRunner } from '../src/schedules/schedule-runner';
import { query, simulatorPlugins, waitFor } from './dispatch-support';
import { CALLING_NUMBER, sendBody, sendingProject } from './messages-fixtures';
import { writeClockOffset } from './support/clock-offset-file';
import { startTestApp, type TestApp } from './test-app';

/** Five schedules firing at one instant, each with two attached messages of 300 recipients: 3,000 messages. */
const SCHEDULES = 5;
const TEMPLATES_PER_SCHEDULE = 2;
const RECIPIENTS_PER_TEMPLATE = 300;
const TOTAL = SCHEDULES * TEMPLATES_PER_SCHEDULE * RECIPIENTS_PER_TEMPLATE;
/** Wednesday 2026-07-01 10:00 Seoul. */
const OCCURRENCE = Date.parse('2026-07-01T01:00:00.000Z');

/**
 * The wall clock shifted by an offset both processes read (the child from the file), so the test moves them together.
 * The file is replaced whole (writeClockOffset): rewritten in place, the child once read it empty, ran on the wall
 * clock for a moment and recorded the occurrences STALE.
 */
class SharedShiftedClock implements Clock {
  private offset = 0;
  constructor(private readonly file: string) {}
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  setNow(instant: number): void {
    this.offset = instant - Date.now();
    writeClockOffset(this.file, this.offset);
  }
}

/**
 * Two server processes on one database, both running the schedule runner and the dispatcher: every occurrence
 * makes one reservation, and each of the 3,000 messages reaches the vendor (the simulator's counters) once.
 */
describe('schedules fired by two processes on one database', () => {
  let t: TestApp;
  let sim: RunningSimulator;
  let child: ChildProcess | undefined;
  let stderr = '';
  const dir = mkdtempSync(join(tmpdir(), 'munja-schedules-'));
  const clock = new SharedShiftedClock(join(dir, 'clock-offset'));

  beforeAll(async () => {
    clock.setNow(OCCURRENCE - 3_600_000);
    // on the shifted clock too: SENS refuses a request signed more than 5 minutes away from its own time
    sim = await startSimulator({
      now: () => clock.now().getTime(),
      sens: { callingNumbers: [CALLING_NUMBER] },
    });
    t = await startTestApp({
      clock,
      env: {
        MUNJA_DISPATCH: 'true',
        MUNJA_DISPATCH_SWEEP_MS: '200',
        MUNJA_REPORT_POLL_MS: '600000',
        MUNJA_DB_POOL_SIZE: '16',
        MUNJA_PLUGINS: simulatorPlugins(sim),
      },
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`fires each of ${SCHEDULES} occurrences once and sends each of ${TOTAL} messages once`, async () => {
    const p = await sendingProject(t, 'Two processes');
    const codes = Array.from({ length: SCHEDULES }, (_, i) => `shared-${i}`);
    let n = 0;
    for (const code of codes) {
      await t.http
        .post('/v1/schedules')
        .set(p.auth)
        .send({ code, weekdays: 'EVERY_DAY', time: '10:00', startDate: '2026-07-01', endDate: '2026-07-02' })
        .expect(201);
      for (let k = 0; k < TEMPLATES_PER_SCHEDULE; k += 1) {
        const messages = Array.from({ length: RECIPIENTS_PER_TEMPLATE }, () => ({
          to: `0107${String(n++).padStart(7, '0')}`,
        }));
        const attached = await t.http
          .post('/v1/messages')
          .set(p.auth)
          .send(sendBody({ scheduleCode: code, messages }))
          .expect(202);
        expect(attached.body.accepted).toBe(RECIPIENTS_PER_TEMPLATE);
      }
    }

    child = spawnChild();
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      child?.once('exit', () => reject(new Error(`the child process ended: ${stderr}`)));
    });
    const runner = t.app.get(ScheduleRunner);
    const dispatcher = t.app.get(Dispatcher);
    const sentBefore = dispatcher.stats.sent;

    // Both processes reach the occurrence together.
    clock.setNow(OCCURRENCE - 1_000);
    await waitFor(
      async () => {
        if (child?.exitCode !== null) throw new Error(`the child process ended: ${stderr}`);
        const [row] = await query<{ open: number; all: number }>(
          t,
          // not yet at the vendor: no vendor id recorded and (a message the vendor took keeps its row QUEUED
          // until its report) still in the queue
          `SELECT count(*) FILTER (WHERE m.vendor_message_id IS NULL
                                     AND (m.state NOT IN ('QUEUED', 'SENDING')
                                          OR EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id))
                                 )::int AS open,
                  count(*)::int AS all
             FROM messages m WHERE m.project_id = $1`,
          [p.projectId],
        );
        return row?.all === TOTAL && row.open === 0;
      },
      300_000,
      200,
    );
    // let a duplicate still on its way reach the simulator before counting
    await new Promise((resolve) => setTimeout(resolve, 500));

    const reservations = await query<{ occurrence_key: string; status: string; messages: number }>(
      t,
      `SELECT r.occurrence_key, r.status, (SELECT count(*)::int FROM messages m WHERE m.reservation_id = r.id) AS messages
         FROM reservations r JOIN schedules s ON s.id = r.schedule_id WHERE s.project_id = $1`,
      [p.projectId],
    );
    expect(reservations).toHaveLength(SCHEDULES);
    expect(new Set(reservations.map((r) => r.occurrence_key)).size).toBe(SCHEDULES);
    for (const r of reservations) {
      expect(r.occurrence_key.endsWith('@2026-07-01T01:00:00.000Z')).toBe(true);
      expect(r.messages).toBe(TEMPLATES_PER_SCHEDULE * RECIPIENTS_PER_TEMPLATE);
    }
    const [requests] = await query<{ n: number }>(
      t,
      `SELECT count(*)::int AS n FROM send_requests WHERE project_id = $1 AND source = 'schedule'`,
      [p.projectId],
    );
    expect(requests?.n).toBe(SCHEDULES * TEMPLATES_PER_SCHEDULE);

    const counters = (await (await fetch(`${sim.url}/_sim/counters`)).json()) as {
      sens: { messages: number; distinctRecipients: number; duplicateRecipients: number };
      omni: { messages: number };
    };
    // all went to the primary plugin (no failover to OMNI), each recipient once
    expect(counters.omni.messages).toBe(0);
    expect(counters.sens).toMatchObject({
      messages: TOTAL,
      distinctRecipients: TOTAL,
      duplicateRecipients: 0,
    });

    // What the API shows per occurrence once the dispatchers closed the reservations, and the /metrics counters.
    for (const code of codes) {
      const [occurrence] = await waitFor(async () => {
        const view = await t.http.get(`/v1/schedules/${code}/occurrences`).set(p.auth).expect(200);
        return view.body[0]?.status === 'DONE' ? (view.body as Record<string, unknown>[]) : undefined;
      }, 60_000);
      expect(occurrence).toMatchObject({
        sendTime: '2026-07-01T01:00:00.000Z',
        messages: { total: TEMPLATES_PER_SCHEDULE * RECIPIENTS_PER_TEMPLATE, ready: 0 },
      });
      expect(occurrence!.requests).toEqual(
        Array.from({ length: TEMPLATES_PER_SCHEDULE }, () =>
          expect.objectContaining({ accepted: RECIPIENTS_PER_TEMPLATE, refused: null }),
        ),
      );
    }
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain(`munja_schedule_occurrences_total{status="READY"} ${SCHEDULES}`);
    expect(metrics.text).toContain(`munja_schedule_occurrences_total{status="DONE"} ${SCHEDULES}`);

    const firedHere = runner.stats.ready;
    const sentHere = dispatcher.stats.sent - sentBefore;
    // the split between the processes, on request (MUNJA_TEST_FIGURES=1): a passing run prints nothing
    if (process.env.MUNJA_TEST_FIGURES)
      process.stdout.write(
        `${JSON.stringify({
          database: t.database,
          occurrences: SCHEDULES,
          firedByThisProcess: firedHere,
          firedByTheOther: SCHEDULES - firedHere,
          plansDroppedHere: runner.stats.dropped,
          messages: TOTAL,
          sentByThisProcess: sentHere,
          sentByTheOther: TOTAL - sentHere,
          simulator: counters.sens,
        })}\n`,
      );
  }, 600_000);

  /** The second process: the same database, simulator and shifted clock; runs the runner and dispatches. */
  function spawnChild(): ChildProcess {
    const location = t.app.get<DatabaseLocation>(DATABASE_LOCATION, { strict: false });
    const spawned = spawn(process.execPath, [join(__dirname, 'schedules-child.cjs')], {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: t.database === 'postgres' ? t.databaseUrl : location.url,
        MUNJA_OPERATOR_KEY: t.operatorKey,
        MUNJA_DEMO: 'false',
        LOG_LEVEL: 'silent',
        MUNJA_PLUGINS: simulatorPlugins(sim),
        MUNJA_DISPATCH_SWEEP_MS: '200',
        MUNJA_REPORT_POLL_MS: '600000',
        MUNJA_DB_POOL_SIZE: '4',
        MUNJA_TEST_CLOCK_FILE: join(dir, 'clock-offset'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return spawned;
  }
});
