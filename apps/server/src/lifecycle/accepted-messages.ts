import type { EntityManager } from 'typeorm';
import { ROWS_PER_STATEMENT, unnestRows, type BulkColumn } from '../messages/bulk-insert';

/**
 * The queue insert of messages entering the queue, as a statement over `source` (a CTE or table with `id`,
 * `request_time`, `project_id`, `plugin_id` — the plugin of the first attempt — and, unless `visibleAt` is given,
 * `due_at`). Used inside the statements that accept or release messages, so a message and its queue row are
 * written together.
 */
export function enqueueFrom(source: string, visibleAt = `${source}.due_at`): string {
  return `INSERT INTO message_queue (message_id, request_time, project_id, plugin_id, visible_at)
       SELECT ${source}.id, ${source}.request_time, ${source}.project_id, COALESCE(${source}.plugin_id, ''),
              ${visibleAt}
         FROM ${source}`;
}

/**
 * The CTEs that insert accepted message rows (`columns` read from `from` by `expressions`, filtered by
 * `where`) and give each QUEUED one its queue row: `accepted_messages` then `enqueued`. A RESERVED message gets
 * its queue row at release, a refused one (final at once) never.
 */
export function acceptMessagesCtes(
  columns: readonly BulkColumn[],
  expressions: readonly string[],
  from: string,
  where = 'true',
): string {
  return `accepted_messages AS (
         INSERT INTO messages (${columns.map((c) => c.name).join(', ')})
         SELECT ${expressions.join(', ')} FROM ${from} WHERE ${where}
         RETURNING id, request_time, project_id, route[route_index + 1] AS plugin_id, due_at, state
       ), queued_messages AS (
         SELECT * FROM accepted_messages WHERE state = 'QUEUED'
       ), enqueued AS (
         ${enqueueFrom('queued_messages')}
       )`;
}

/**
 * Inserts accepted message rows (and the queue rows of the QUEUED ones) with one statement per chunk of
 * ROWS_PER_STATEMENT, never row by row.
 */
export async function insertAcceptedMessages(
  manager: EntityManager,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = unnestRows(columns, rows.slice(start, start + ROWS_PER_STATEMENT), 'u');
    await manager.query(
      `WITH ${acceptMessagesCtes(columns, chunk.expressions, chunk.from)} SELECT count(*) FROM accepted_messages`,
      [...chunk.values],
    );
  }
}
