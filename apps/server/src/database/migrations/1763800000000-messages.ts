import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The send path: send requests (with their idempotency keys), one message row per recipient (the rows are the
 * dispatch queue), and reservations. Shape agreed between the send API and the dispatcher.
 */
export class Messages1763800000000 implements MigrationInterface {
  name = 'Messages1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE send_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        request_time timestamptz NOT NULL,
        content_type text,
        requested_type text,
        country_code text,
        from_number text,
        subject text,
        content text,
        file_ids uuid[] NOT NULL DEFAULT '{}',
        reserve_time timestamptz,
        reserve_time_zone text,
        reservation_id uuid,
        idempotency_key text,
        idempotency_fingerprint text,
        response jsonb,
        accepted_count integer,
        rejected_count integer,
        source text NOT NULL DEFAULT 'api',
        UNIQUE (project_id, idempotency_key)
      )`);
    await q.query(
      `CREATE INDEX send_requests_history ON send_requests (project_id, request_time DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL,
        request_id uuid NOT NULL REFERENCES send_requests(id) ON DELETE CASCADE,
        request_time timestamptz NOT NULL,
        recipient_index integer NOT NULL,
        to_number text NOT NULL,
        country_code text NOT NULL,
        from_number text NOT NULL,
        type text NOT NULL CHECK (type IN ('SMS', 'LMS', 'MMS', 'INTL')),
        content_type text NOT NULL CHECK (content_type IN ('COMM', 'AD')),
        subject text,
        content text NOT NULL,
        bytes integer,
        parts integer,
        encoding text CHECK (encoding IN ('GSM7', 'UCS2')),
        file_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('READY', 'PROCESSING', 'COMPLETED')),
        state text NOT NULL CHECK (state IN ('RESERVED', 'QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED',
          'BLOCKED', 'REJECTED', 'EXPIRED', 'CANCELED')),
        due_at timestamptz NOT NULL,
        reservation_id uuid,
        route text[] NOT NULL,
        route_index integer NOT NULL DEFAULT 0,
        plugin_id text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        lease_owner text,
        lease_expires_at timestamptz,
        vendor_message_id text,
        vendor_request_id text,
        sent_at timestamptz,
        status_name text CHECK (status_name IN ('success', 'fail')),
        status_code text,
        status_message text,
        telco_code text,
        complete_time timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    // The dispatcher's claim: due queued rows, oldest first.
    await q.query(`CREATE INDEX messages_claim ON messages (due_at) WHERE state = 'QUEUED'`);
    // Recovery of rows whose worker died with the lease.
    await q.query(`CREATE INDEX messages_lease ON messages (lease_expires_at) WHERE state = 'SENDING'`);
    // Delivery reports find their message by the vendor's id.
    await q.query(`CREATE INDEX messages_vendor ON messages (plugin_id, vendor_message_id)`);
    // Sent rows still waiting for a report (expiry job).
    await q.query(`CREATE INDEX messages_awaiting_report ON messages (sent_at) WHERE state = 'SENT'`);
    // History search: a project's messages newest first, with (request_time, id) as the cursor.
    await q.query(`CREATE INDEX messages_history ON messages (project_id, request_time DESC, id DESC)`);
    // A request's messages in recipient order.
    await q.query(`CREATE INDEX messages_request ON messages (request_id, recipient_index)`);
    // Cancel and release of a reservation's rows.
    await q.query(
      `CREATE INDEX messages_reservation ON messages (reservation_id) WHERE reservation_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE reservations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        request_id uuid NOT NULL REFERENCES send_requests(id) ON DELETE CASCADE,
        send_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('READY', 'PROCESSING', 'DONE', 'FAIL', 'CANCELED', 'STALE', 'SKIP')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        schedule_id uuid,
        occurrence_key text UNIQUE
      )`);
    // The release job: READY reservations whose time has come.
    await q.query(`CREATE INDEX reservations_due ON reservations (status, send_at)`);
    // The list endpoint: a project's reservations by send time.
    await q.query(`CREATE INDEX reservations_project ON reservations (project_id, send_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['reservations', 'messages', 'send_requests']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
