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

/** `yyyy-MM-dd HH:mm:ss` in the vendor's zone (lookups' requestTime and completeTime). */
export function spacedLocal(ms: number): string {
  return isoLocalMillis(ms).slice(0, 19).replace('T', ' ');
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

function zoneOffsetMs(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * `yyyy-MM-dd HH:mm` wall-clock time in `zone` → ms since epoch, or undefined when malformed. The simulator
 * keeps no time-zone library: Intl's zone data gives the offset, applied twice to settle across DST edges.
 */
export function parseReserveTime(text: string, zone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  const first = wall - zoneOffsetMs(zone, wall);
  return wall - zoneOffsetMs(zone, first);
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
