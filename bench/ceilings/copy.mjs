// Ceiling of the bulk figure: PostgreSQL COPY of message-like rows (the columns a stored message carries,
// a uuid primary key, logged like the real table) into a table of the scratch database, streamed from this
// process through pg-copy-streams. Storing recipients cannot go faster than the database takes rows.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pg, root } from '../workspace.mjs';

const { from: copyFrom } = createRequire(join(root, 'package.json'))('pg-copy-streams');

const COLUMNS = `id uuid PRIMARY KEY, project_id uuid NOT NULL, request_id uuid NOT NULL,
  request_time timestamptz NOT NULL, recipient_index integer NOT NULL, to_number text NOT NULL,
  country_code text NOT NULL, from_number text NOT NULL, type text NOT NULL, content_type text NOT NULL,
  subject text, content text NOT NULL, status text NOT NULL, state text NOT NULL, due_at timestamptz NOT NULL,
  route text[] NOT NULL, updated_at timestamptz NOT NULL`;

function* rows(count) {
  const project = randomUUID();
  const request = randomUUID();
  const now = new Date().toISOString();
  const chunk = [];
  for (let i = 0; i < count; i++) {
    const to = `0105${String(i).padStart(7, '0')}`;
    chunk.push(
      `${randomUUID()}\t${project}\t${request}\t${now}\t${i}\t${to}\t82\t0212345678\tSMS\tCOMM\t\\N\t` +
        `안녕하세요 고객님\tREADY\tQUEUED\t${now}\t{sens,omni}\t${now}\n`,
    );
    if (chunk.length === 1000) yield chunk.splice(0).join('');
  }
  if (chunk.length > 0) yield chunk.join('');
}

export async function copyCeiling(databaseUrl, count) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_copy_ceiling (${COLUMNS})`);
    const started = performance.now();
    await pipeline(Readable.from(rows(count)), client.query(copyFrom('COPY bench_copy_ceiling FROM STDIN')));
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP TABLE bench_copy_ceiling');
    return { rowsPerSecond: count / seconds, rows: count, seconds };
  } finally {
    await client.end();
  }
}
