import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCH_LATENCY_BUCKETS } from '../../metrics/metric-counts';

/**
 * Outbound webhooks and database-wide metrics, both fed by triggers on `messages` and `reservations` (until
 * 1765200000000-outbox dropped the triggers: the lifecycle module writes events and counts since).
 *
 * The triggers are statement-level with transition tables: a dispatcher batch that moves 500 rows costs one
 * grouped counter upsert and (only when the project has a subscribed endpoint) one outbox insert, in the same
 * transaction as the change, whatever code path or process made it. Counter rows are keyed by the backend's
 * pid (`slot`), so two concurrent transactions never touch the same counter row (no lock waits, no deadlocks
 * between dispatch workers); a scrape sums the slots.
 */
export class Webhooks1764000000000 implements MigrationInterface {
  name = 'Webhooks1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        url text NOT NULL,
        description text,
        secret text NOT NULL,
        event_types text[] NOT NULL,
        status text NOT NULL CHECK (status IN ('ENABLED', 'DISABLED')),
        disabled_at timestamptz,
        disabled_reason text,
        failing_since timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_success_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // The triggers' check "does this project have an enabled endpoint for this event type".
    await q.query(
      `CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (project_id) WHERE status = 'ENABLED'`,
    );
    await q.query(`CREATE INDEX webhook_endpoints_project ON webhook_endpoints (project_id, created_at, id)`);

    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        type text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    // The retention purge: events older than the retention, oldest first.
    await q.query(`CREATE INDEX webhook_events_created ON webhook_events (created_at)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        UNIQUE (event_id, endpoint_id)
      )`);
    // The worker's claim: pending deliveries, never-tried ones (NULL) first.
    await q.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at NULLS FIRST) WHERE status = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_project ON webhook_deliveries (project_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`,
    );

    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        outcome text NOT NULL CHECK (outcome IN ('DELIVERED', 'RETRY', 'FAILED'))
      )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)`);

    await q.query(`
      CREATE TABLE metric_counters (
        metric text NOT NULL,
        plugin text NOT NULL,
        type text NOT NULL,
        state text NOT NULL,
        slot integer NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (metric, plugin, type, state, slot)
      )`);

    await q.query(`
      CREATE FUNCTION munja_iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$`);

    for (const operation of ['insert', 'update'] as const) {
      await q.query(messagesFunction(operation));
      await q.query(reservationsFunction(operation));
    }
    await q.query(`
      CREATE TRIGGER munja_messages_inserted AFTER INSERT ON messages
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION munja_messages_inserted()`);
    await q.query(`
      CREATE TRIGGER munja_messages_updated AFTER UPDATE ON messages
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION munja_messages_updated()`);
    await q.query(`
      CREATE TRIGGER munja_reservations_inserted AFTER INSERT ON reservations
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION munja_reservations_inserted()`);
    await q.query(`
      CREATE TRIGGER munja_reservations_updated AFTER UPDATE ON reservations
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION munja_reservations_updated()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER munja_reservations_updated ON reservations`);
    await q.query(`DROP TRIGGER munja_reservations_inserted ON reservations`);
    await q.query(`DROP TRIGGER munja_messages_updated ON messages`);
    await q.query(`DROP TRIGGER munja_messages_inserted ON messages`);
    for (const fn of [
      'munja_reservations_updated',
      'munja_reservations_inserted',
      'munja_messages_updated',
      'munja_messages_inserted',
    ]) {
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION munja_iso(timestamptz)`);
    for (const table of [
      'metric_counters',
      'webhook_attempts',
      'webhook_deliveries',
      'webhook_events',
      'webhook_endpoints',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

const PAST = { insert: 'inserted', update: 'updated' } as const;

const UPSERT = `ON CONFLICT (metric, plugin, type, state, slot)
  DO UPDATE SET value = metric_counters.value + EXCLUDED.value`;

/** The rows that changed: every inserted row, or updated rows whose state, status or result name moved. */
function changedRows(operation: 'insert' | 'update', columns: string): string {
  return operation === 'insert'
    ? `SELECT * FROM new_rows`
    : `SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (${columns
        .split(',')
        .map((c) => `n.${c.trim()}`)
        .join(', ')}) IS DISTINCT FROM (${columns
        .split(',')
        .map((c) => `o.${c.trim()}`)
        .join(', ')})`;
}

function outbox(changed: string, eventType: string, data: string): string {
  return `
      IF EXISTS (SELECT 1 FROM webhook_endpoints WHERE status = 'ENABLED') THEN
        WITH events AS (
          INSERT INTO webhook_events (id, project_id, type, data, created_at)
          SELECT gen_random_uuid(), c.project_id, '${eventType}', ${data}, c.updated_at
          FROM (${changed}) c
          WHERE EXISTS (SELECT 1 FROM webhook_endpoints e
                        WHERE e.project_id = c.project_id AND e.status = 'ENABLED'
                          AND e.event_types && ARRAY['${eventType}', '*'])
          RETURNING id, project_id, type, created_at
        ), deliveries AS (
          INSERT INTO webhook_deliveries (event_id, endpoint_id, project_id, status, created_at)
          SELECT ev.id, e.id, ev.project_id, 'PENDING', ev.created_at
          FROM events ev JOIN webhook_endpoints e
            ON e.project_id = ev.project_id AND e.status = 'ENABLED' AND e.event_types && ARRAY[ev.type, '*']
          RETURNING 1
        )
        SELECT count(*) INTO emitted FROM deliveries;
        IF emitted > 0 THEN
          PERFORM pg_notify('munja_webhooks', '');
        END IF;
      END IF;`;
}

function messagesFunction(operation: 'insert' | 'update'): string {
  const changed = changedRows(operation, 'state, status, status_name');
  const bucket = DISPATCH_LATENCY_BUCKETS.map((le) => `WHEN latency <= ${le} THEN '${le}'`).join(' ');
  const data = `jsonb_build_object(
      'messageId', c.id, 'requestId', c.request_id, 'reservationId', c.reservation_id,
      'to', c.to_number, 'countryCode', c.country_code, 'from', c.from_number,
      'type', c.type, 'contentType', c.content_type,
      'status', c.status, 'state', c.state, 'statusName', c.status_name,
      'statusCode', c.status_code, 'statusMessage', c.status_message, 'telcoCode', c.telco_code,
      'pluginId', c.plugin_id, 'requestTime', munja_iso(c.request_time),
      'sendTime', munja_iso(c.due_at), 'completeTime', munja_iso(c.complete_time))`;
  return `
    CREATE FUNCTION munja_messages_${PAST[operation]}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      emitted integer;
    BEGIN
      -- New rows by their first state, then transitions by the state entered; by plugin (the one sending,
      -- or the first planned) and type.
      INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
        SELECT '${operation === 'insert' ? 'message_created' : 'message_state'}', COALESCE(c.plugin_id, c.route[c.route_index + 1], ''), c.type, c.state,
               pg_backend_pid(), count(*)
        FROM (${changed}) c GROUP BY 2, 3, 4
        ${UPSERT};

      -- Dispatch latency: from the time the message was due to the vendor's acceptance.
      WITH l AS (
        SELECT COALESCE(c.plugin_id, '') AS plugin, c.type,
               GREATEST(0, EXTRACT(EPOCH FROM (c.sent_at - c.due_at))) AS latency
        FROM (${changed}) c WHERE c.state = 'SENT' AND c.sent_at IS NOT NULL
      )
      INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
        SELECT metric, plugin, type, le, pg_backend_pid(), sum(value)::bigint FROM (
          SELECT 'dispatch_latency' AS metric, plugin, type,
                 CASE ${bucket} ELSE '+Inf' END AS le, 1::numeric AS value
          FROM l
          UNION ALL
          SELECT 'dispatch_latency_sum_ms', plugin, type, '', round(latency * 1000) FROM l
        ) x GROUP BY 1, 2, 3, 4
        ${UPSERT};
${outbox(changed, 'message.status_changed', data)}
      RETURN NULL;
    END
    $fn$`;
}

function reservationsFunction(operation: 'insert' | 'update'): string {
  const changed = changedRows(operation, 'status');
  const data = `jsonb_build_object(
      'reservationId', c.id, 'requestId', c.request_id, 'status', c.status,
      'sendTime', munja_iso(c.send_at), 'scheduleId', c.schedule_id, 'occurrenceKey', c.occurrence_key)`;
  return `
    CREATE FUNCTION munja_reservations_${PAST[operation]}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      emitted integer;
    BEGIN
      -- Reservation states entered; occurrences of recurring schedules are also counted on their own.
      INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
        SELECT 'reservation_state', '', '', c.status, pg_backend_pid(), count(*)
        FROM (${changed}) c GROUP BY 1, 2, 3, 4
        ${UPSERT};
      INSERT INTO metric_counters (metric, plugin, type, state, slot, value)
        SELECT 'schedule_occurrence_state', '', '', c.status, pg_backend_pid(), count(*)
        FROM (${changed}) c WHERE c.schedule_id IS NOT NULL GROUP BY 1, 2, 3, 4
        ${UPSERT};
${outbox(changed, 'reservation.status_changed', data)}
      RETURN NULL;
    END
    $fn$`;
}
