import { MigrationInterface, QueryRunner } from 'typeorm';

/** Projects, API keys, calling numbers, the 080 opt-out service and its block list, MMS files. */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_project ON api_keys (project_id)`);
    await q.query(`
      CREATE TABLE calling_numbers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        number text NOT NULL,
        method text NOT NULL CHECK (method IN ('SMS', 'DOCUMENT')),
        status text NOT NULL,
        reject_reason text,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // A REJECTED registration does not block registering the same number again.
    await q.query(`
      CREATE UNIQUE INDEX calling_numbers_held ON calling_numbers (project_id, number)
      WHERE status <> 'REJECTED'`);
    await q.query(`
      CREATE TABLE opt_out_services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        company_name text NOT NULL,
        status text NOT NULL,
        number_080 text,
        generation integer NOT NULL,
        ars_token_hash text UNIQUE,
        applied_at timestamptz NOT NULL,
        completed_at timestamptz,
        stopped_at timestamptz,
        canceled_at timestamptz,
        UNIQUE (project_id, generation)
      )`);
    // At most one live (applied or running) 080 service per project.
    await q.query(`
      CREATE UNIQUE INDEX opt_out_services_live ON opt_out_services (project_id)
      WHERE status IN ('PROCESSING', 'COMPLETE')`);
    await q.query(`
      CREATE TABLE opt_out_blocklist (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        number text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (project_id, number)
      )`);
    await q.query(`
      CREATE TABLE files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL,
        width integer NOT NULL,
        height integer NOT NULL,
        body bytea NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX files_project ON files (project_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'files',
      'opt_out_blocklist',
      'opt_out_services',
      'calling_numbers',
      'api_keys',
      'projects',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
