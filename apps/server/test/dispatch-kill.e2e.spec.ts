import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@munja/simulator';
import { systemClock } from '../src/common/clock';
import { DATABASE_LOCATION, type DatabaseLocation } from '../src/database/database-location';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { query, simulatorPlugins, unsentCount, waitFor } from './dispatch-support';
import { CALLING_NUMBER, sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

const RECIPIENTS = 10_000;
/** MUNJA_DISPATCH_IN_FLIGHT's default: the documented most a crash sends twice */
const IN_FLIGHT_BOUND = 400;
const recipient = (i: number) => `0105${String(i).padStart(7, '0')}`;
/**
 * Long enough that the child never loses its own claims, however loaded the machine: a lease that ran out while
 * the child's vendor call was still out let its other worker claim and send the same rows again (seen once at
 * load 27 on PGlite, where the child's statements queue behind this process's). The survivor does not wait for
 * it: the dead process's leases are run out by hand after the kill (their expiry is covered by the upgrade and
 * dispatching tests).
 */
const LEASE_SECONDS = '300';

/**
 * A dispatcher process with the default settings is killed (SIGKILL) in the middle of a 10,000-message
 * dispatch; another process on the same database picks up after the lease expires. Every message reaches the
 * vendor (simulator counters), none is lost; a message is sent twice only if its vendor call was out or its
 * outcome not yet committed when the process died, which the recipient gate bounds by MUNJA_DISPATCH_IN_FLIGHT.
 */
describe('a dispatcher killed mid-dispatch', () => {
  let t: TestApp;
  let sim: RunningSimulator;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // real time on both sides: the lease must expire by the wall clock for the other process too
    sim = await startSimulator({ sens: { callingNumbers: [CALLING_NUMBER], knobs: { latencyMs: 50 } } });
    t = await startTestApp({
      clock: systemClock,
      env: {
        MUNJA_DISPATCH: 'false',
        MUNJA_DISPATCH_LEASE_SECONDS: LEASE_SECONDS,
        MUNJA_DISPATCH_SWEEP_MS: '200',
        MUNJA_PLUGINS: simulatorPlugins(sim),
      },
    });
  }, 120_000);
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t?.close();
    await sim?.stop();
  });

  it(`loses nothing, and sends at most ${IN_FLIGHT_BOUND} messages twice`, async () => {
    const project = await sendingProject(t, 'Kill');
    const requestIds: string[] = [];
    for (let from = 0; from < RECIPIENTS; from += 1000) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({ to: recipient(from + i) }));
      const accepted = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .send(sendBody({ messages }))
        .expect(202);
      requestIds.push(accepted.body.requestId as string);
    }
    // the vendor took it: its queue row is gone while its row stays QUEUED (the acceptance writes the awaiting row)
    const sentCount = async () => {
      const [row] = await query<{ n: number }>(
        t,
        `SELECT count(*)::int AS n FROM messages m
          WHERE m.request_id = ANY($1::uuid[]) AND m.state = 'QUEUED'
            AND NOT EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id)`,
        [requestIds],
      );
      return row?.n ?? 0;
    };

    // the defaults (batch 500, two workers, 400 recipients in flight); only the lease is shortened
    const started = spawnDispatcher({});
    child = started.child;
    const stderr = started.stderr;
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));

    // Kill it once a good share went through and was recorded, while vendor calls are out.
    const alive = () => {
      if (child?.exitCode !== null) throw new Error(`the child process ended: ${stderr()}`);
    };
    await waitFor(async () => (alive(), (await sentCount()) >= 2000), 120_000, 50);
    const requestsSoFar = sim.sens.ctx.counters.requests;
    await waitFor(async () => (alive(), sim.sens.ctx.counters.requests > requestsSoFar), 10_000, 2);
    child.kill('SIGKILL');
    await exited;

    const atKill = await query<{ to_number: string; state: string }>(
      t,
      // a claimed message stays QUEUED in its row; its queue row holds the dead process's lease; a sent one has
      // no queue row any more
      `SELECT m.to_number, CASE WHEN q.message_id IS NULL AND m.state = 'QUEUED' THEN 'SENT'
                                WHEN q.lease_owner IS NOT NULL THEN 'SENDING' ELSE m.state END AS state
         FROM messages m LEFT JOIN message_queue q ON q.message_id = m.id
        WHERE m.request_id = ANY($1::uuid[])`,
      [requestIds],
    );
    const byState = (state: string) => atKill.filter((r) => r.state === state).map((r) => r.to_number);
    const sentBefore = byState('SENT');
    const claimed = byState('SENDING');
    const untouched = byState('QUEUED');
    expect(sentBefore.length).toBeGreaterThanOrEqual(2000);
    expect(claimed.length).toBeGreaterThan(0);
    expect(sentBefore.length + claimed.length + untouched.length).toBe(RECIPIENTS);

    // The survivor: its sweep returns the dead process's rows once their lease has run out, and sends them.
    await query(
      t,
      `UPDATE message_queue SET lease_until = now() - interval '1 second'
        WHERE lease_owner IS NOT NULL AND message_id IN (SELECT id FROM messages WHERE request_id = ANY($1::uuid[]))`,
      [requestIds],
    );
    sim.sens.setKnobs({ latencyMs: 0 });
    t.app.get(Dispatcher).start();
    await waitFor(async () => (await unsentCount(t, requestIds)) === 0, 180_000, 100);
    // settle the calls the dead process had out: the simulator finishes them after its latency
    await new Promise((resolve) => setTimeout(resolve, 500));

    const received = (to: string) => sim.sens.received(to);
    for (const to of [...sentBefore, ...untouched])
      if (received(to) !== 1) expect([to, received(to)]).toEqual([to, 1]);
    const lost = Array.from({ length: RECIPIENTS }, (_, i) => recipient(i)).filter((to) => received(to) < 1);
    expect(lost).toEqual([]);
    const duplicates = claimed.filter((to) => received(to) > 1);
    const total = Array.from({ length: RECIPIENTS }, (_, i) => received(recipient(i))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(RECIPIENTS + duplicates.length);
    expect(duplicates.length).toBeLessThanOrEqual(IN_FLIGHT_BOUND);
    if (process.env.MUNJA_TEST_FIGURES)
      process.stdout.write(
        `${JSON.stringify({ database: t.database, sentBeforeKill: sentBefore.length, claimedAtKill: claimed.length, queuedAtKill: untouched.length, duplicates: duplicates.length, received: total })}\n`,
      );
  }, 600_000);
  /** Starts a second Munja process on the same database and simulator, dispatching. */
  function spawnDispatcher(settings: Record<string, string>): { child: ChildProcess; stderr: () => string } {
    const location = t.app.get<DatabaseLocation>(DATABASE_LOCATION, { strict: false });
    const spawned = spawn(process.execPath, [join(__dirname, 'dispatch-child.cjs')], {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: t.database === 'postgres' ? t.databaseUrl : location.url,
        MUNJA_OPERATOR_KEY: t.operatorKey,
        MUNJA_DEMO: 'false',
        LOG_LEVEL: 'silent',
        MUNJA_PLUGINS: simulatorPlugins(sim),
        MUNJA_DISPATCH_LEASE_SECONDS: LEASE_SECONDS,
        MUNJA_DISPATCH_SWEEP_MS: '200',
        MUNJA_REPORT_POLL_MS: '600000',
        MUNJA_DB_POOL_SIZE: '3',
        ...settings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    spawned.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child: spawned, stderr: () => stderr };
  }

  it('shares the queue between two live processes without sending any message twice', async () => {
    const project = await sendingProject(t, 'Shared');
    const shared = (i: number) => `0106000${String(i).padStart(4, '0')}`;
    const count = 600;
    sim.sens.setKnobs({ latencyMs: 300 });
    const second = spawnDispatcher({ MUNJA_DISPATCH_BATCH: '50', MUNJA_DISPATCH_WORKERS: '2' });
    child = second.child;
    const ready = new Promise<void>((resolve) =>
      second.child.stdout?.on('data', (d: Buffer) => d.toString().includes('READY') && resolve()),
    );
    await ready;
    const dispatcher = t.app.get(Dispatcher);
    expect(dispatcher.isRunning).toBe(true);
    // This process holds back until the other has sent a batch: the accept wakes this process at once but the
    // other only at its next sweep (PGlite has no NOTIFY across processes), and this process's two default
    // 500-row claims would otherwise take all 600 before the other looked.
    await dispatcher.stop();
    const sentBefore = dispatcher.stats.sent;
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: Array.from({ length: count }, (_, i) => ({ to: shared(i) })) }))
      .expect(202);
    const untilUnsent = (done: (unsent: number) => boolean) =>
      waitFor(
        async () => {
          if (second.child.exitCode !== null) throw new Error(`the child process ended: ${second.stderr()}`);
          return done(await unsentCount(t, [accepted.body.requestId]));
        },
        60_000,
        50,
      );
    await untilUnsent((unsent) => unsent < count);
    dispatcher.start();
    await untilUnsent((unsent) => unsent === 0);
    second.child.kill('SIGKILL');
    for (let i = 0; i < count; i += 1)
      expect([shared(i), sim.sens.received(shared(i))]).toEqual([shared(i), 1]);
    // both processes took part
    const byThisProcess = dispatcher.stats.sent - sentBefore;
    expect(byThisProcess).toBeGreaterThan(0);
    expect(byThisProcess).toBeLessThan(count);
    if (process.env.MUNJA_TEST_FIGURES)
      process.stdout.write(
        `${JSON.stringify({ database: t.database, shared: count, sentHere: byThisProcess })}\n`,
      );
  });
});
