import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Message ids are UUIDv7 whose 48-bit timestamp is the message's request time in milliseconds (written by the
 * accepting insert, src/lifecycle/accepted-messages.ts). `messages` is partitioned by request_time, so an id
 * alone names the one partition its row is in. Ids written before (random v4) name none.
 */

/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Random bytes an id takes (52 bits, in 7 bytes of which the first gives one hex digit). */
const RANDOM_BYTES_PER_ID = 7;
/**
 * The CSPRNG's bytes for small calls, drawn from a block refilled 512 ids at a time, as node:crypto's randomUUID
 * keeps its own: a `randomBytes(7)` per call made one id (a request's, an event's) cost 3.2 µs, 50 times a
 * randomUUID. Each byte is used once.
 */
const POOL = Buffer.alloc(RANDOM_BYTES_PER_ID * 512);
let poolAt = POOL.length;

/** `count` fresh random bytes, and where they start in the returned buffer. */
function randomRun(count: number): { bytes: Uint8Array; start: number } {
  if (count > POOL.length) return { bytes: randomBytes(count), start: 0 };
  if (poolAt + count > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const start = poolAt;
  poolAt += count;
  return { bytes: POOL, start };
}

/**
 * The ids of new message rows, for the accepting statements (src/lifecycle/accepted-messages.ts: a single send's
 * batch and a bulk send's chunks alike).
 *
 * Layout (RFC 9562 UUIDv7 with a dedicated counter, its "method 1"): 48 bits of the row's request time in
 * milliseconds, the version 7, the recipient index's bits 19..8 in rand_a, the variant 10 and two zero bits, its
 * bits 7..0, then 52 random bits from the system's CSPRNG. The recipients of one request share a millisecond:
 * with random bits right after it, a 100,000-recipient bulk inserted its ids at random places of the primary-key
 * index (a page split every few rows); counted by the index they arrive in ascending order, so the index grows
 * at its right edge (the accepting statement of 100,000 rows on PostgreSQL 15: 3.1–3.8 s of backend CPU with
 * random bits, 2.1–2.8 s counted). The 52 random bits keep ids unguessable and two requests of the same
 * millisecond apart.
 *
 * Made here rather than in SQL (PostgreSQL 15 has no uuidv7(); the expression put hex digits together from a v4
 * uuid): there they cost PostgreSQL ~6 µs of each row's ~29, on a bulk upload's critical path (100,000 rows in 20
 * statements, backend CPU from /proc/<pid>/stat, alternated three times at load 6–7: 28.4–30.0 µs a row with the
 * expression, 22.8–23.5 with the ids given); here an id costs 0.1–0.45 µs.
 */
export function messageIds(
  rows: readonly { readonly requestTime: Date; readonly recipientIndex: number }[],
): string[] {
  const { bytes: random, start } = randomRun(RANDOM_BYTES_PER_ID * rows.length);
  const ids = new Array<string>(rows.length);
  let millis = NaN;
  let head = '';
  for (let i = 0, at = start; i < rows.length; i++, at += RANDOM_BYTES_PER_ID) {
    const row = rows[i]!;
    const time = row.requestTime.getTime();
    if (time !== millis) {
      millis = time;
      const hex = Math.floor(time).toString(16).padStart(12, '0');
      head = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
    }
    const index = row.recipientIndex;
    ids[i] =
      `${head}${HEX[(index >> 12) & 255]}${HEX[(index >> 8) & 15]![1]}-8${HEX[index & 255]}${HEX[random[at]!]![1]}-` +
      `${HEX[random[at + 1]!]}${HEX[random[at + 2]!]}${HEX[random[at + 3]!]}${HEX[random[at + 4]!]}` +
      `${HEX[random[at + 5]!]}${HEX[random[at + 6]!]}`;
  }
  return ids;
}

/**
 * The id of a new row made at `at` that is not a message (a send request, a reservation, a webhook event, a webhook
 * delivery): a UUIDv7 of that time in the layout above (index 0, then 52 random bits), so the table's primary key
 * grows at its right edge as the rows come. With random (v4) ids each row went to a random leaf page, and the
 * first change of a page after a checkpoint logs the whole page: 9,600 requests stored right after a CHECKPOINT
 * into a table of 1,000,000 (statements of 32, pgbench) wrote 2,972 B of WAL a request and 3,513 full-page images
 * with v4 ids, 291 B and 7–9 with these (docs/benchmarks.md, "Row ids in time order"). Two ids of one millisecond
 * differ in the 52 random bits.
 */
export function timeOrderedId(at: Date): string {
  return messageIds([{ requestTime: at, recipientIndex: 0 }])[0]!;
}

/** The request-time range [from, to) a UUIDv7 message id was written in, or null for an id of another version. */
export function requestTimeRangeOf(id: string): { from: Date; to: Date } | null {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex) || hex[12] !== '7') return null;
  const millis = Number.parseInt(hex.slice(0, 12), 16);
  return { from: new Date(millis), to: new Date(millis + 1) };
}
