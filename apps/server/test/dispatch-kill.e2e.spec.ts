import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SENS_DEFAULTS, startSimulator, type RunningSimulator } from '@munja/simulator';
import { systemClock } from '../src/common/clock';
import { DATABASE_LOCATION, type DatabaseLocation } from '../src/database/database-location';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { query, waitFor } from './dispatch-support';
import { CALLING_NUMBER, sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

const RECIPIENTS = 300;
const recipient = (i: number) => `0105000${String(i).padStart(4, '0')}`;

/**
 * A dispatcher process is killed (SIGKILL) in the middle of its work; another process on the same database
 * picks up after the lease expires. Every message reaches the vendor (simulator counters), none is lost; a
 * message is sent twice only if its vendor call was in flight when the process died (the documented
 * at-least-once trade-off: nothing recorded its vendor id).
 */
describe('a dispatcher killed mid-batch', () => {
  let t: TestApp;
  let sim: RunningSimulator;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // real time on both sides: the lease must expire by the wall clock for the other process too
    sim = await startSimulator({ sens: { callingNumbers: [CALLING_NUMBER], knobs: { latencyMs: 700 } } });
    t = await startTestApp({
      clock: systemClock,
      env: {
        MUNJA_DISPATCH: 'false',
        MUNJA_DISPATCH_LEASE_SECONDS: '2',
        MUNJA_DISPATCH_SWEEP_MS: '200',
        MUNJA_DISPATCH_BATCH: '50',
        MUNJA_PLUGINS: pluginsFor(sim),
      },
    });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await t?.close();
    await sim?.stop();
  });

  it('loses nothing: the survivor sends every message, and at most the call in flight at the kill is sent twice', async () => {
    const project = await sendingProject(t, 'Kill');
    const messages = Array.from({ length: RECIPIENTS }, (_, i) => ({ to: recipient(i) }));
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages }))
      .expect(202);
    const requestId = accepted.body.requestId as string;

    const started = spawnDispatcher({ MUNJA_DISPATCH_BATCH: '100', MUNJA_DISPATCH_WORKERS: '1' });
    child = started.child;
    const stderr = started.stderr;
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));

    // Kill it once one batch went through and was recorded, and the next vendor call is in flight.
    const alive = () => {
      if (child?.exitCode !== null) throw new Error(`the child process ended: ${stderr()}`);
    };
    await waitFor(
      async () => {
        alive();
        const [row] = await query<{ sent: number }>(
          t,
          `SELECT count(*)::int AS sent FROM messages WHERE request_id = $1 AND state = 'SENT'`,
          [requestId],
        );
        return (row?.sent ?? 0) >= 100;
      },
      60_000,
      5,
    );
    const requestsSoFar = sim.sens.ctx.counters.requests;
    await waitFor(async () => (alive(), sim.sens.ctx.counters.requests > requestsSoFar), 10_000, 2);
    child.kill('SIGKILL');
    await exited;

    const atKill = await query<{ to_number: string; state: string }>(
      t,
      `SELECT to_number, state FROM messages WHERE request_id = $1`,
      [requestId],
    );
    const byState = (state: string) => atKill.filter((r) => r.state === state).map((r) => r.to_number);
    const sentBefore = byState('SENT');
    const inFlight = byState('SENDING');
    const untouched = byState('QUEUED');
    expect(sentBefore.length).toBeGreaterThanOrEqual(100);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(sentBefore.length + inFlight.length + untouched.length).toBe(RECIPIENTS);

    // The survivor: its sweep returns the dead process's rows after their lease and sends them.
    sim.sens.setKnobs({ latencyMs: 0 });
    t.app.get(Dispatcher).start();
    await waitFor(
      async () => {
        const [row] = await query<{ open: number }>(
          t,
          `SELECT count(*)::int AS open FROM messages WHERE request_id = $1 AND vendor_message_id IS NULL`,
          [requestId],
        );
        return row?.open === 0;
      },
      30_000,
      100,
    );
    // settle the in-flight call the dead process made: the simulator finishes it after its latency
    await new Promise((resolve) => setTimeout(resolve, 800));

    for (const to of [...sentBefore, ...untouched]) expect([to, sim.sens.received(to)]).toEqual([to, 1]);
    for (const to of inFlight) expect(sim.sens.received(to)).toBeGreaterThanOrEqual(1);
    const duplicates = inFlight.filter((to) => sim.sens.received(to) > 1);
    expect(duplicates.length).toBeLessThanOrEqual(inFlight.length);
    for (let i = 0; i < RECIPIENTS; i += 1) expect(sim.sens.received(recipient(i))).toBeGreaterThanOrEqual(1);
    const total = Array.from({ length: RECIPIENTS }, (_, i) => sim.sens.received(recipient(i))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(RECIPIENTS + duplicates.length);
    if (process.env.MUNJA_TEST_FIGURES)
      process.stdout.write(
        `${JSON.stringify({ database: t.database, sentBeforeKill: sentBefore.length, inFlightAtKill: inFlight.length, queuedAtKill: untouched.length, duplicates: duplicates.length, received: total })}\n`,
      );
  });
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
        MUNJA_PLUGINS: pluginsFor(sim),
        MUNJA_DISPATCH_LEASE_SECONDS: '2',
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
    sim.sens.setKnobs({ latencyMs: 100 });
    const second = spawnDispatcher({ MUNJA_DISPATCH_BATCH: '50', MUNJA_DISPATCH_WORKERS: '2' });
    child = second.child;
    const ready = new Promise<void>((resolve) =>
      second.child.stdout?.on('data', (d: Buffer) => d.toString().includes('READY') && resolve()),
    );
    await ready;
    const dispatcher = t.app.get(Dispatcher);
    expect(dispatcher.isRunning).toBe(true);
    const sentBefore = dispatcher.stats.sent;
    const accepted = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .send(sendBody({ messages: Array.from({ length: count }, (_, i) => ({ to: shared(i) })) }))
      .expect(202);
    await waitFor(
      async () => {
        if (second.child.exitCode !== null) throw new Error(`the child process ended: ${second.stderr()}`);
        const [row] = await query<{ open: number }>(
          t,
          `SELECT count(*)::int AS open FROM messages WHERE request_id = $1 AND vendor_message_id IS NULL`,
          [accepted.body.requestId],
        );
        return row?.open === 0;
      },
      60_000,
      50,
    );
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

function pluginsFor(sim: RunningSimulator): string {
  return JSON.stringify([
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
      config: { clientId: 'munja-omni', password: 'munja-omni-secret', baseUrl: sim.url },
    },
  ]);
}
