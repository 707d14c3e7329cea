import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { DISPATCH_CHANNEL, DispatchSignal } from '../src/dispatch/dispatch-signal';
import { Dispatcher } from '../src/dispatch/dispatcher';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import { completed, query, waitFor } from './dispatch-support';
import { sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

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
      const [row] = await query<{ state: string }>(t, `SELECT state FROM messages WHERE id = $1`, [
        queued!.id,
      ]);
      return row?.state === 'DELIVERED' || row?.state === 'SENT';
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
    const queue = (dispatcher as unknown as { queue: { claim: (...args: unknown[]) => Promise<unknown[]> } })
      .queue;
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
    await waitFor(async () => (signal as unknown as { waiters: unknown[] }).waiters.length === 2, 30_000, 10);
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
