import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook delivery log's two page indexes in ascending order, read backward for the newest-first pages
 * (`ORDER BY created_at DESC, id DESC`: an Index Scan Backward, the same pages and keyset cursor), as the message
 * history's since 1766000000010. Deliveries come in that ascending order — their `created_at` is their event's
 * time, and their ids are UUIDv7 of it (`timeOrderedId`) — so each entry goes in after the one before, where the
 * descending indexes put it in front and split every full leaf page in half. 100,000 deliveries in statements of
 * 500 with rising times (pgbench): 2,556 leaf pages an index descending, 1,440 ascending (docs/benchmarks.md, "Row
 * ids in time order").
 */
export class DeliveriesAscending1766000000032 implements MigrationInterface {
  name = 'DeliveriesAscending1766000000032';

  async up(q: QueryRunner): Promise<void> {
    await recreate(q, '');
  }

  async down(q: QueryRunner): Promise<void> {
    await recreate(q, ' DESC');
  }
}

/** The delivery log's page indexes by name: the filter column before the page order. */
const PAGE_INDEXES: readonly (readonly [string, string])[] = [
  ['webhook_deliveries_endpoint', 'endpoint_id'],
  ['webhook_deliveries_project', 'project_id'],
];

async function recreate(q: QueryRunner, order: '' | ' DESC'): Promise<void> {
  for (const [name, filter] of PAGE_INDEXES) {
    await q.query(`DROP INDEX ${name}`);
    await q.query(`CREATE INDEX ${name} ON webhook_deliveries (${filter}, created_at${order}, id${order})`);
  }
}
