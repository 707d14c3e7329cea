/**
 * What the webhook/metrics triggers cost the send path, on a PostgreSQL server:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/webhook-triggers.bench.ts
 * In a scratch database it inserts MESSAGES rows in dispatcher-sized batches and moves them QUEUED → SENDING →
 * SENT → DELIVERED, three ways: triggers disabled (baseline), triggers with no endpoint (what every project
 * without webhooks pays), and with a subscribed endpoint (outbox: one event + one delivery per change).
 * Prints one JSON line per variant and round.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/migrations';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const BATCH = 500;

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL to a PostgreSQL server');
  const name = `munja_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = new DataSource({
    type: 'postgres',
    url: url.toString(),
    migrations: MIGRATIONS,
    migrationsRun: true,
  });
  try {
    await db.initialize();
    // Two rounds: the first warms the caches and the planner, so compare the second's figures.
    for (const round of [1, 2])
      for (const variant of ['baseline', 'no-endpoint', 'endpoint'] as const) {
        await db.query(
          `TRUNCATE messages, send_requests, webhook_events, webhook_deliveries, metric_counters CASCADE`,
        );
        await db.query(`DELETE FROM webhook_endpoints`);
        await db.query(`DELETE FROM projects`);
        await db.query(
          `ALTER TABLE messages ${variant === 'baseline' ? 'DISABLE' : 'ENABLE'} TRIGGER munja_messages_inserted`,
        );
        await db.query(
          `ALTER TABLE messages ${variant === 'baseline' ? 'DISABLE' : 'ENABLE'} TRIGGER munja_messages_updated`,
        );
        const [project] = (await db.query(
          `INSERT INTO projects (name, created_at) VALUES ('bench', now()) RETURNING id`,
        )) as Array<{ id: string }>;
        const projectId = project!.id;
        if (variant === 'endpoint') {
          await db.query(
            `INSERT INTO webhook_endpoints (project_id, url, secret, event_types, status, created_at, updated_at)
           VALUES ($1, 'http://127.0.0.1:9/x', 'whsec_bench', '{*}', 'ENABLED', now(), now())`,
            [projectId],
          );
        }
        const [request] = (await db.query(
          `INSERT INTO send_requests (project_id, request_time) VALUES ($1, now()) RETURNING id`,
          [projectId],
        )) as Array<{ id: string }>;

        const started = performance.now();
        for (let offset = 0; offset < MESSAGES; offset += BATCH) {
          await db.query(
            `INSERT INTO messages (project_id, request_id, request_time, recipient_index, to_number, country_code,
             from_number, type, content_type, content, status, state, due_at, route, updated_at)
           SELECT $1, $2, now(), i, '010' || lpad(i::text, 8, '0'), '82', '0212345678', 'SMS', 'COMM', 'hello',
                  'READY', 'QUEUED', now(), '{sens}', now()
           FROM generate_series($3::int, $4::int) i`,
            [projectId, request!.id, offset, Math.min(offset + BATCH, MESSAGES) - 1],
          );
        }
        const inserted = performance.now();
        const moves: Array<[string, string, string]> = [
          ['QUEUED', 'SENDING', 'PROCESSING'],
          ['SENDING', 'SENT', 'PROCESSING'],
          ['SENT', 'DELIVERED', 'COMPLETED'],
        ];
        for (const [from, to, status] of moves) {
          for (let offset = 0; offset < MESSAGES; offset += BATCH) {
            await db.query(
              `UPDATE messages SET state = $1, status = $2, plugin_id = 'sens', updated_at = now(),
               sent_at = CASE WHEN $1 = 'SENT' THEN now() ELSE sent_at END
             WHERE id IN (SELECT id FROM messages WHERE state = $3 AND recipient_index >= $4
                          ORDER BY recipient_index LIMIT ${BATCH})`,
              [to, status, from, offset],
            );
          }
        }
        const updated = performance.now();
        const [events] = (await db.query(`SELECT count(*)::int AS n FROM webhook_events`)) as Array<{
          n: number;
        }>;
        process.stdout.write(
          `${JSON.stringify({
            bench: 'webhook-triggers',
            variant,
            round,
            messages: MESSAGES,
            batch: BATCH,
            insertMs: Math.round(inserted - started),
            updateMs: Math.round(updated - inserted),
            usPerRowChange: Math.round(((updated - started) * 1000) / (MESSAGES * 4)),
            events: events!.n,
          })}\n`,
        );
      }
  } finally {
    if (db.isInitialized) await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
