/**
 * Message ids are UUIDv7 whose 48-bit timestamp is the message's request time in milliseconds (written by the
 * accepting insert, src/lifecycle/accepted-messages.ts). `messages` is partitioned by request_time, so an id
 * alone names the one partition its row is in. Ids written before (random v4) name none.
 */

/** The SQL expression of a new message id for a row requested at `requestTime` (a timestamptz expression). */
export function messageIdSql(requestTime: string): string {
  // a random v4 uuid with its first 48 bits replaced by the milliseconds and its version nibble made 7
  // (PostgreSQL 15 has no uuidv7(); bits 52 and 53 turn the version 0100 into 0111)
  const millis = `substring(int8send(floor(extract(epoch FROM ${requestTime}) * 1000)::bigint) FROM 3)`;
  return `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING ${millis} FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;
}

/** The request-time range [from, to) a UUIDv7 message id was written in, or null for an id of another version. */
export function requestTimeRangeOf(id: string): { from: Date; to: Date } | null {
  const hex = id.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex) || hex[12] !== '7') return null;
  const millis = Number.parseInt(hex.slice(0, 12), 16);
  return { from: new Date(millis), to: new Date(millis + 1) };
}
