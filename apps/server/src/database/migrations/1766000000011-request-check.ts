import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message's send request is checked once per statement, not once per row. The foreign key
 * `messages_request_id_fkey` ran its check (`SELECT 1 FROM ONLY send_requests WHERE id = $1 FOR KEY SHARE`,
 * through SPI) for every inserted row: 3–4 µs of backend CPU a row, ~16 % of the accepting statement of a bulk
 * upload, whose 5,000 rows all name the one request the same transaction inserted. The same rule now runs in
 * triggers, as the foreign key's own did:
 *
 * - `messages_request_check` (AFTER INSERT, FOR EACH STATEMENT, the inserted rows as a transition table): the
 *   distinct requests are locked FOR KEY SHARE (as the foreign key's check: a concurrent delete of one waits
 *   for this transaction, and a request deleted and committed meanwhile is not locked) and the statement fails
 *   with `foreign_key_violation` unless every one was found.
 * - `messages_request_kept` (AFTER UPDATE OF request_id, each row): a message never moves to another request.
 * - `send_requests_cascade` (AFTER DELETE, FOR EACH STATEMENT, the deleted rows as a transition table):
 *   deletes their messages (the foreign key's `ON DELETE CASCADE`), after the delete took the rows' locks, so
 *   it waits for an inserting transaction holding them and then sees its messages.
 * - `send_requests_id_kept` (AFTER UPDATE OF id, each row): a request's id never changes (the foreign key
 *   refused that while messages named it).
 * - `send_requests_truncate` (BEFORE TRUNCATE): truncating the requests truncates the messages with them.
 *
 * The row triggers are AFTER triggers, like the foreign key's own (a BEFORE row trigger would lock each updated
 * row first, a WAL record on the dispatcher's updates). A statement trigger of a partitioned table fires for
 * statements on `messages`, not on one day partition: every writer inserts through `messages`.
 * test/request-check.e2e.spec.ts checks each rule on PostgreSQL and PGlite.
 */
export class RequestCheck1766000000011 implements MigrationInterface {
  name = 'RequestCheck1766000000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_request_id_fkey`);
    await trigger(
      q,
      'messages_request_check',
      'AFTER INSERT ON messages REFERENCING NEW TABLE AS added FOR EACH STATEMENT',
      REQUEST_CHECK_1766000000011,
    );
    await q.query(`
      CREATE FUNCTION key_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'update on table "%" changes its key %', TG_TABLE_NAME, TG_ARGV[0]
          USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'messages_request_id_fkey';
      END $$`);
    for (const [name, table, key] of KEPT_KEYS) {
      await q.query(
        `CREATE TRIGGER ${name} AFTER UPDATE OF ${key} ON ${table}
           FOR EACH ROW WHEN (OLD.${key} IS DISTINCT FROM NEW.${key}) EXECUTE FUNCTION key_kept('${key}')`,
      );
    }
    await trigger(
      q,
      'send_requests_cascade',
      'AFTER DELETE ON send_requests REFERENCING OLD TABLE AS gone FOR EACH STATEMENT',
      CASCADE_1766000000011,
    );
    await trigger(
      q,
      'send_requests_truncate',
      'BEFORE TRUNCATE ON send_requests FOR EACH STATEMENT',
      `BEGIN TRUNCATE messages; RETURN NULL; END`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['send_requests_truncate', 'send_requests'],
      ['send_requests_cascade', 'send_requests'],
      ['messages_request_check', 'messages'],
    ]) {
      await q.query(`DROP TRIGGER ${name} ON ${table}`);
      await q.query(`DROP FUNCTION ${name}()`);
    }
    for (const [name, table] of KEPT_KEYS) await q.query(`DROP TRIGGER ${name} ON ${table}`);
    await q.query(`DROP FUNCTION key_kept()`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_request_id_fkey
        FOREIGN KEY (request_id) REFERENCES send_requests(id) ON DELETE CASCADE`);
  }
}

/** The error of a message naming a send request that is not stored: the foreign key's own. */
export const RAISE_MISSING_REQUEST = `RAISE EXCEPTION 'insert or update on table "messages" violates foreign key constraint "messages_request_id_fkey"'
             USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'messages_request_id_fkey',
                   DETAIL = 'A message names a send request that is not in "send_requests".';`;

/** The request check's body as this migration made it (1766000000033 replaces it; its down puts this back). */
export const REQUEST_CHECK_1766000000011 = `DECLARE
         wanted integer;
         locked integer;
       BEGIN
         SELECT count(DISTINCT request_id) INTO wanted FROM added;
         SELECT count(*) INTO locked FROM (
           SELECT 1 FROM send_requests s WHERE s.id IN (SELECT request_id FROM added) FOR KEY SHARE OF s
         ) found;
         IF locked < wanted THEN
           ${RAISE_MISSING_REQUEST}
         END IF;
         RETURN NULL;
       END`;

/** The cascade's body as this migration made it (1766000000033 replaces it; its down puts this back). */
export const CASCADE_1766000000011 = `BEGIN DELETE FROM messages m USING gone g WHERE m.request_id = g.id; RETURN NULL; END`;

/** The keys that never change: trigger, table, column. */
const KEPT_KEYS: readonly (readonly [string, string, string])[] = [
  ['messages_request_kept', 'messages', 'request_id'],
  ['send_requests_id_kept', 'send_requests', 'id'],
];

/** A PL/pgSQL trigger function and its trigger, of one name; `when`: the trigger's time, event, table, level. */
async function trigger(q: QueryRunner, name: string, when: string, body: string): Promise<void> {
  await q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ ${body} $$`);
  await q.query(`CREATE TRIGGER ${name} ${when} EXECUTE FUNCTION ${name}()`);
}
