import { MigrationInterface, QueryRunner } from 'typeorm';

const TRIGGERS = [
  ['munja_messages_inserted', 'messages'],
  ['munja_messages_updated', 'messages'],
  ['munja_reservations_inserted', 'reservations'],
  ['munja_reservations_updated', 'reservations'],
] as const;

/**
 * Drops the statement triggers that built webhook events, deliveries and metric counts in PL/pgSQL: the
 * lifecycle module writes them from TypeScript in the transaction of each change since (lifecycle/
 * transition-events.ts, a transactional outbox), so a payload change needs no migration and no business rule
 * lives in the database. The tables stay as they are.
 *
 * Not reversible: with the triggers back, every change would be counted and announced twice.
 */
export class Outbox1765200000000 implements MigrationInterface {
  name = 'Outbox1765200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [trigger, table] of TRIGGERS) await q.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${table}`);
    for (const [fn] of TRIGGERS) await q.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    await q.query(`DROP FUNCTION IF EXISTS munja_iso(timestamptz)`);
  }

  async down(): Promise<void> {
    throw new Error('Outbox1765200000000 is not reversible: the triggers would double every event and count');
  }
}
