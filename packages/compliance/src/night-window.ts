import { DateTime } from 'luxon';
import { ComplianceError } from './compliance-error';

/**
 * 정보통신망법 제50조 ③: advertising may not be sent from 21:00 to 08:00 (Korea time) without a separate
 * consent. The window is always judged in Asia/Seoul, whatever zone the request was written in.
 */
export const NIGHT_WINDOW = { zone: 'Asia/Seoul', startHour: 21, endHour: 8 } as const;

/** `reject` refuses an AD send inside the window; `defer` moves it to the next 08:00 Seoul. */
export type NightWindowPolicy = 'reject' | 'defer';

function seoul(at: Date): DateTime {
  const dt = DateTime.fromJSDate(at, { zone: NIGHT_WINDOW.zone });
  if (!dt.isValid)
    throw new ComplianceError('INVALID_SEND_TIME', 'sendAt', 'the send time is not a valid time');
  return dt;
}

/** True from 21:00:00.000 up to (not including) 08:00:00.000 Seoul time. */
export function isInNightWindow(at: Date): boolean {
  const { hour } = seoul(at);
  return hour >= NIGHT_WINDOW.startHour || hour < NIGHT_WINDOW.endHour;
}

/** The first instant at or after `at` that is outside the window: `at` itself by day, else the next 08:00. */
export function nightWindowEnd(at: Date): Date {
  const dt = seoul(at);
  if (!isInNightWindow(at)) return at;
  const day = dt.hour >= NIGHT_WINDOW.startHour ? dt.plus({ days: 1 }) : dt;
  return day.set({ hour: NIGHT_WINDOW.endHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

export interface NightWindowDecision {
  /** when the message will go (ISO-8601, UTC) */
  readonly sendAt: string;
  /** true when `defer` moved it out of the window */
  readonly deferred: boolean;
}

/**
 * Judge an AD send at its send time (the reservation time when there is one, else now).
 * `reject` throws AD_NIGHT_WINDOW on `field`; `defer` returns the next 08:00 Seoul.
 */
export function judgeNightWindow(
  sendAt: Date,
  policy: NightWindowPolicy,
  field = 'reserveTime',
): NightWindowDecision {
  if (!isInNightWindow(sendAt)) return { sendAt: sendAt.toISOString(), deferred: false };
  if (policy === 'defer') return { sendAt: nightWindowEnd(sendAt).toISOString(), deferred: true };
  const local = seoul(sendAt).toFormat('yyyy-MM-dd HH:mm');
  throw new ComplianceError(
    'AD_NIGHT_WINDOW',
    field,
    `an AD message may not be sent between 21:00 and 08:00 Korea time; the send time is ${local} Asia/Seoul. ` +
      'Send it between 08:00 and 21:00, or set reserveTime to a time in that window',
  );
}
