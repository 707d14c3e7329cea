import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { FAST_DISPATCH, query, unsentCount, waitFor } from './dispatch-support';
import { sendBody, sendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

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
      `CREATE TRIGGER test_refuse_outcome BEFORE UPDATE ON messages FOR EACH ROW
         WHEN (OLD.state = 'SENDING' AND NEW.state = 'SENT') EXECUTE FUNCTION test_refuse_outcome()`,
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
    const [refusals] = await query<{ last_value: string }>(t, `SELECT last_value FROM test_outcome_refusals`);
    // two refused writes, then every SENT row of the accepted ones
    expect(Number(refusals?.last_value)).toBe(2 + RECIPIENTS);
    for (let i = 0; i < RECIPIENTS; i += 1)
      expect([recipient(i), embedded.simulator.sens.received(recipient(i))]).toEqual([recipient(i), 1]);
    expect(dispatcher.stats.recovered).toBe(0);
    expect(dispatcher.stats.sent).toBe(RECIPIENTS);
  }, 120_000);
});
