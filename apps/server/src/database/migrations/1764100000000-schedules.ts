import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring schedules and the message templates attached to them. The runner turns each due occurrence into
 * one reservation keyed by `reservations.occurrence_key` (UNIQUE since the messages migration), so however many
 * processes run it, an occurrence fires once; a lease on the schedule row keeps two processes from planning the
 * same occurrences at once. Schedule counters for /metrics need nothing here: the reservation
 * triggers of the webhooks migration count every reservation with a `schedule_id` by the status it enters.
 */
export class Schedules1764100000000 implements MigrationInterface {
  name = 'Schedules1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE schedules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        code text NOT NULL,
        weekdays text[] NOT NULL,
        time text NOT NULL,
        time_zone text NOT NULL,
        -- yyyy-MM-dd in time_zone, kept as text: a calendar day, never converted through a JavaScript Date
        start_date text NOT NULL,
        end_date text NOT NULL,
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        -- the runner's cursor: every occurrence at or before it has been handled (or predates the schedule)
        cursor_at timestamptz NOT NULL,
        -- the first occurrence after the cursor; NULL once the period is over (the runner never looks again)
        next_at timestamptz,
        -- the process planning its due occurrences (outside a transaction: templates are re-reviewed), until
        -- the lease expires by the database's clock
        lease_owner text,
        lease_expires_at timestamptz,
        -- bumped by every update and the delete: a plan made from an older revision is dropped
        revision integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
    // A code names one live schedule of a project; a deleted schedule's code can be used again.
    await q.query(
      `CREATE UNIQUE INDEX schedules_code ON schedules (project_id, code) WHERE deleted_at IS NULL`,
    );
    // The runner's claim: live schedules whose next occurrence has come.
    await q.query(`CREATE INDEX schedules_due ON schedules (next_at) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE schedule_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        schedule_id uuid NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        -- the send body as accepted by POST /v1/messages (without scheduleCode), re-planned at each occurrence
        body jsonb NOT NULL,
        recipient_count integer NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX schedule_templates_schedule ON schedule_templates (schedule_id, created_at, id)`,
    );

    // Why an occurrence was SKIPped (AD_NIGHT_WINDOW, SCHEDULE_DISABLED, NO_TEMPLATES, a refusal code...).
    await q.query(`ALTER TABLE reservations ADD COLUMN skip_reason text`);
    // An occurrence's send requests (one per template), for its view.
    await q.query(
      `CREATE INDEX send_requests_reservation ON send_requests (reservation_id) WHERE reservation_id IS NOT NULL`,
    );
    // A schedule's occurrences, newest first.
    await q.query(
      `CREATE INDEX reservations_schedule ON reservations (schedule_id, send_at DESC) WHERE schedule_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reservations_schedule`);
    await q.query(`DROP INDEX send_requests_reservation`);
    await q.query(`ALTER TABLE reservations DROP COLUMN skip_reason`);
    await q.query(`DROP TABLE schedule_templates`);
    await q.query(`DROP TABLE schedules`);
  }
}
