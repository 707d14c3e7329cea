import type { EntityManager } from 'typeorm';

/** PostgreSQL takes at most 65,535 parameters per statement; stay well below it. */
const MAX_PARAMETERS = 30_000;

/**
 * Inserts rows with multi-row INSERT statements (one per chunk), never row by row. `columns` are SQL
 * column names; each row gives its values in that order. A column may carry a cast (e.g. `uuid[]`).
 */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly { name: string; cast?: string }[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const names = columns.map((c) => c.name).join(', ');
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const parameters: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = columns.map((column, i) => {
        parameters.push(row[i]);
        return column.cast ? `$${parameters.length}::${column.cast}` : `$${parameters.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await manager.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, parameters);
  }
}
