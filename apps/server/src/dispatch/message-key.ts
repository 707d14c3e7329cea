/**
 * A message row's primary key is (id, request_time): `messages` is partitioned by request_time, so every update
 * by id also names its request_time and touches one partition instead of probing all of them.
 *
 * request_time travels as exact ISO text, never as a JS Date: a Date keeps milliseconds only, and a row written
 * with microseconds (SQL now()) would then match nothing.
 */
export interface MessageKey {
  readonly id: string;
  /** request_time as exact ISO 8601 text (microseconds, UTC); cast back with ::timestamptz */
  readonly requestTime: string;
}

/** The SQL expression reading `column` (a timestamptz) as the exact text MessageKey.requestTime holds. */
export function exactTime(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
