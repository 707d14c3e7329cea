import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unique index of Idempotency-Keys holds only the requests that came with one. As a table constraint it held
 * an entry (project, NULL) for every send without a key — nearly all of them — that nothing ever looked up: NULLs
 * never conflict, and the replay lookup (`project_id = $1 AND idempotency_key = $2`) implies a key. A partial
 * unique index enforces the same uniqueness with one index write less per send; the accepting statements name
 * its predicate in `ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL` so PostgreSQL
 * infers it as their arbiter.
 */
export class IdempotencyKeysOnly1766000000020 implements MigrationInterface {
  name = 'IdempotencyKeysOnly1766000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE send_requests DROP CONSTRAINT send_requests_project_id_idempotency_key_key`);
    await q.query(
      `CREATE UNIQUE INDEX send_requests_idempotency_key ON send_requests (project_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX send_requests_idempotency_key`);
    await q.query(
      `ALTER TABLE send_requests ADD CONSTRAINT send_requests_project_id_idempotency_key_key
        UNIQUE (project_id, idempotency_key)`,
    );
  }
}
