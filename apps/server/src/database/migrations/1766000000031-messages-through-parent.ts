import { MigrationInterface, QueryRunner } from 'typeorm';
import { messagePartitions } from './1765100000100-hot-lifecycle';

/** The trigger each partition of `messages` carries, and its function. */
const GUARD = 'messages_through_parent';

/**
 * Messages are inserted through `messages`, never through one of its partitions. The check that a message's
 * send request is stored (`messages_request_check`, 1766000000011) is a statement trigger of `messages` with a
 * transition table, and PostgreSQL fires a partitioned table's statement triggers only for statements that name
 * it (a partition cannot carry a transition-table trigger of its own). An INSERT (or COPY) naming a day
 * partition would have stored messages without that check; each partition now refuses one, with a statement
 * trigger of its own, which a row routed through `messages` does not fire. Every writer already goes through
 * `messages`; test/request-check.e2e.spec.ts checks the refusal and that every partition carries the guard, and
 * the retention job guards each day it adds (guardMessageDay).
 */
export class MessagesThroughParent1766000000031 implements MigrationInterface {
  name = 'MessagesThroughParent1766000000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION ${GUARD}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'insert into "%" refused: messages are inserted through "messages"', TG_TABLE_NAME
           USING ERRCODE = 'integrity_constraint_violation',
                 DETAIL = 'The check of a message''s send request runs for statements on "messages" only.';
       END $$`,
    );
    for (const partition of await messagePartitions(q)) await guardMessageDay(q, partition);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const partition of await messagePartitions(q))
      await q.query(`DROP TRIGGER IF EXISTS ${GUARD} ON ${partition}`);
    await q.query(`DROP FUNCTION ${GUARD}()`);
  }
}

/** Makes a partition of `messages` refuse statements that name it (the DEFAULT one, and each day's). */
export async function guardMessageDay(q: Pick<QueryRunner, 'query'>, partition: string): Promise<void> {
  await q.query(
    `CREATE TRIGGER ${GUARD} BEFORE INSERT ON ${partition} FOR EACH STATEMENT EXECUTE FUNCTION ${GUARD}()`,
  );
}
