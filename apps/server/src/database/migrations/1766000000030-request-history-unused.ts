import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `send_requests_history (project_id, request_time DESC, id DESC)` is read by no statement: a request is found by
 * its id (progress, results, replays), its Idempotency-Key (`send_requests_idempotency_key`), its reservation
 * (`send_requests_reservation`) or its age (retention, `send_requests_request_time`); the history a customer
 * pages through is that of messages. Every single send still wrote an entry in it, and being descending with
 * ascending times each entry went in front of the one before, so full leaf pages split in half: after ~700,000
 * requests it held 6,839 pages (53 MB), more than the table's own 6,681, against 502 for `request_time`. Storing
 * 32 requests in one statement (pgbench, one client, the table's indexes and foreign key, four alternations):
 * 1.14–1.26 ms with it, 1.04–1.14 ms without (docs/benchmarks.md, "An index nothing read").
 */
export class RequestHistoryUnused1766000000030 implements MigrationInterface {
  name = 'RequestHistoryUnused1766000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX send_requests_history`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX send_requests_history ON send_requests (project_id, request_time DESC, id DESC)`,
    );
  }
}
