import { parseWallTime, resolveWallTime, SchedulingError } from '@munja/scheduling';
import { VENDOR_UTC_OFFSET_MINUTES } from './unconfirmed';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function vendorLocal(ms: number): Date {
  return new Date(ms + VENDOR_UTC_OFFSET_MINUTES * 60_000);
}

/** `yyyy-MM-dd'T'HH:mm:ss.SSS` in the vendor's zone (the send response's requestTime). */
export function isoLocalMillis(ms: number): string {
  const d = vendorLocal(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/**
 * Times spacedLocal formatted: a request's messages share their request time (a lookup's completion time is
 * often the same), and lookups walk the messages of a few hundred requests in no order. Bounded: cleared when full.
 */
const spaced = new Map<number, string>();
const SPACED_KEPT = 4096;

/** `yyyy-MM-dd HH:mm:ss` in the vendor's zone (lookups' requestTime and completeTime). */
export function spacedLocal(ms: number): string {
  let text = spaced.get(ms);
  if (text === undefined) {
    if (spaced.size >= SPACED_KEPT) spaced.clear();
    text = isoLocalMillis(ms).slice(0, 19).replace('T', ' ');
    spaced.set(ms, text);
  }
  return text;
}

/** true when the runtime knows the IANA zone name */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `yyyy-MM-dd HH:mm` wall-clock time in `zone` → ms since epoch, or undefined when malformed. How SENS itself
 * reads a time its zone's clocks skip or repeat is not documented (UNCONFIRMED); the fake follows the platform's
 * one rule, @munja/scheduling's resolveWallTime (a skipped time → the first minute after the jump, a repeated
 * one → the earlier instant), so the fake and the service never disagree about when a reservation is due.
 */
export function parseReserveTime(text: string, zone: string): number | undefined {
  try {
    return resolveWallTime(parseWallTime(text, 'reserveTime'), zone).instant.getTime();
  } catch (error) {
    if (error instanceof SchedulingError) return undefined;
    throw error;
  }
}

/** `yyyy-MM-dd HH:mm:ss` in the vendor's zone → ms since epoch (the list lookup's time windows). */
export function parseSpacedLocal(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return wall - VENDOR_UTC_OFFSET_MINUTES * 60_000;
}
