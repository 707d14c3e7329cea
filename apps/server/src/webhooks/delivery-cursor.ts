import { ApiError } from '../common/api-error';

/** The last row of the previous page of a list ordered by (created_at DESC, id DESC). */
export interface DeliveryCursor {
  time: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeDeliveryCursor(cursor: DeliveryCursor): string {
  return Buffer.from(JSON.stringify([cursor.time.toISOString(), cursor.id])).toString('base64url');
}

export function decodeDeliveryCursor(text: string): DeliveryCursor {
  const invalid = () =>
    ApiError.badRequest('INVALID_CURSOR', 'cursor is not one this API gave out', 'cursor');
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
