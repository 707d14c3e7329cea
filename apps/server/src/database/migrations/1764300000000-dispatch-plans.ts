import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans that stay fast at volume, found with auto_explain during the 100,000-message bench.
 *
 * - The statement triggers on UPDATE pair `new_rows` with `old_rows` by id. Transition tables carry no
 *   statistics, so the planner guessed one row each and joined them in a nested loop: a 500-row dispatcher
 *   batch compared 250,000 pairs, twice per trigger run (state counters, then dispatch latency), 80-130 ms a
 *   statement. Inside these functions only, nested loops are off and the pairing is a hash join; the other
 *   methods are pinned on, so a calling statement planned with some denied (src/dispatch/sql.ts) does not
 *   leave the trigger with no join but the nested loop.
 * - The report poller walks a plugin's SENT rows in (sent_at, id) order. With statistics taken while a bulk
 *   send was still all QUEUED, the planner expected no SENT row, read every one of them and sorted them for
 *   each 500-row page; an index in the walk's own order (SENT rows only, so other states never touch it)
 *   makes each page a short ordered read whatever the statistics say.
 */
const TRIGGER_FUNCTIONS = ['munja_messages_updated', 'munja_reservations_updated'];
const TRIGGER_PLANNER = {
  enable_nestloop: 'off',
  enable_hashjoin: 'on',
  enable_mergejoin: 'on',
  enable_sort: 'on',
  enable_bitmapscan: 'on',
  enable_seqscan: 'on',
  enable_material: 'on',
};

export class DispatchPlans1764300000000 implements MigrationInterface {
  name = 'DispatchPlans1764300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const fn of TRIGGER_FUNCTIONS)
      for (const [setting, value] of Object.entries(TRIGGER_PLANNER))
        await q.query(`ALTER FUNCTION ${fn}() SET ${setting} = ${value}`);
    await q.query(
      `CREATE INDEX messages_report_walk ON messages (plugin_id, sent_at, id) WHERE state = 'SENT'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_report_walk`);
    for (const fn of TRIGGER_FUNCTIONS)
      for (const setting of Object.keys(TRIGGER_PLANNER))
        await q.query(`ALTER FUNCTION ${fn}() RESET ${setting}`);
  }
}
