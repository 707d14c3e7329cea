import { ApiError } from './api-error';

/**
 * A position in a list ordered by (time DESC, id DESC): messages, reservations, webhook deliveries. It is the
 * last row of the previous page.
 */
export interface Cursor {
  time: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to callers: they pass back what `nextCursor` said. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.time.toISOString(), cursor.id])).toString('base64url');
}

export function decodeCursor(text: string, field = 'cursor'): Cursor {
  const invalid = () => ApiError.badRequest('INVALID_CURSOR', 'cursor is not one this API gave out', field);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [time, id] = parsed as unknown[];
  if (typeof time !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw invalid();
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw invalid();
  return { time: date, id };
}
