import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservations by their send request. The foreign key `reservations_request_id_fkey` deletes a deleted send
 * request's reservation (`DELETE FROM ONLY reservations WHERE $1 = request_id`, once per deleted request), and
 * without an index on the column each of those read the whole table: the retention job's deletes of old
 * requests, a batch at a time, grew with the reservations kept. A reservation is written once per reserved send
 * (sends that go now have none), so the index costs one entry per reserved send.
 * test/request-check.e2e.spec.ts checks that deleting requests reads reservations through it.
 */
export class ReservationsByRequest1766000000034 implements MigrationInterface {
  name = 'ReservationsByRequest1766000000034';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX reservations_request ON reservations (request_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reservations_request`);
  }
}
