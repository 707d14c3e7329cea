import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  CASCADE_1766000000011,
  RAISE_MISSING_REQUEST,
  REQUEST_CHECK_1766000000011,
} from './1766000000011-request-check';

/**
 * The request check's and the cascade's queries get plans that stay right as the tables grow.
 *
 * PL/pgSQL prepares a trigger's queries once per connection and, having no parameters, keeps the first plan for
 * the connection's life (until the table's statistics change, which never happens with autovacuum off). The
 * request check's `s.id IN (SELECT request_id FROM added)` was planned for the first statement a connection
 * stored: when `send_requests` was still small next to that statement's rows, a hash join over a sequential scan
 * of the whole table. The connection kept scanning all of `send_requests` for every statement after: measured
 * under the single-send load, one of the pool's connections took 5–25 ms a statement where the others took 2
 * (5.5 ms of it in the trigger, against 0.2), the slower the more requests were stored (45 ms at 300,000).
 *
 * - The check looks each distinct request up by its key (a LATERAL subquery with a row lock is never flattened
 *   into a join, so it runs as one index probe per request), in one query where there were two, with sequential
 *   scans off for the function: a plan made on a table of a few rows would otherwise read that table whole for
 *   each request.
 * - The cascade's delete is planned at each call (EXECUTE), with the sizes of the moment: it runs for deletes of
 *   send requests (the retention job, a schedule's occurrence), where which plan is right depends on how many
 *   requests go, and planning is small next to the delete.
 *
 * test/request-check.e2e.spec.ts checks the rules as before, and that a connection whose first statement was
 * planned on a small table does not scan `send_requests` afterwards.
 */
export class RequestCheckPlans1766000000033 implements MigrationInterface {
  name = 'RequestCheckPlans1766000000033';

  async up(q: QueryRunner): Promise<void> {
    await replace(q, 'messages_request_check', REQUEST_CHECK, ' SET enable_seqscan = off');
    await replace(q, 'send_requests_cascade', CASCADE, '');
  }

  async down(q: QueryRunner): Promise<void> {
    await replace(q, 'messages_request_check', REQUEST_CHECK_1766000000011, '');
    await replace(q, 'send_requests_cascade', CASCADE_1766000000011, '');
  }
}

const REQUEST_CHECK = `DECLARE
    missing bigint;
  BEGIN
    SELECT count(*) FILTER (WHERE found.request_id IS NULL) INTO missing
      FROM (SELECT DISTINCT request_id FROM added) wanted
      LEFT JOIN LATERAL (
        SELECT s.id AS request_id FROM send_requests s WHERE s.id = wanted.request_id FOR KEY SHARE OF s
      ) found ON true;
    IF missing > 0 THEN
      ${RAISE_MISSING_REQUEST}
    END IF;
    RETURN NULL;
  END`;

const CASCADE = `BEGIN
    EXECUTE 'DELETE FROM messages m USING gone g WHERE m.request_id = g.id';
    RETURN NULL;
  END`;

/** Replaces a trigger function, body and settings (`settings`: its SET clause, or ''). */
async function replace(q: QueryRunner, name: string, body: string, settings: string): Promise<void> {
  await q.query(
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql${settings} AS $$ ${body} $$`,
  );
}
