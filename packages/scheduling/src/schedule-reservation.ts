import { occurrenceKey } from './occurrence-key';
import { occurrenceAt, Occurrence } from './occurrences';
import { Schedule } from './schedule';
import { SkipReason } from './reservation-status';
import { SchedulingError } from './scheduling-error';
import { formatLocal } from './wall-time';

/** A message attached to a schedule: a template copied into a reservation at each occurrence. */
export interface ScheduleTemplate {
  /** the template's id (the message id mapped to the schedule) */
  id: string;
}

export interface ReservationMessageDraft<T extends ScheduleTemplate> {
  templateId: string;
  /** `<occurrenceKey>#<templateId>`: unique per (occurrence, template), for idempotent message rows */
  messageKey: string;
  template: T;
}

/** What one occurrence makes: one READY reservation holding one message per template. */
export interface ScheduledReservationDraft<T extends ScheduleTemplate> {
  /** the reservation's unique key: {@link occurrenceKey} of the schedule and the occurrence */
  occurrenceKey: string;
  scheduleId: string;
  scheduleCode: string;
  /** when it is due: the occurrence's instant */
  sendAt: Date;
  reserveTimeZone: string;
  /** the wall time it shows in the schedule's zone, `yyyy-MM-dd HH:mm` */
  reserveTime: string;
  occurrence: Occurrence;
  status: 'READY';
  messages: ReservationMessageDraft<T>[];
}

/**
 * The reservation an occurrence of a schedule makes. Refuses an instant that is not an occurrence of the schedule
 * (NOT_AN_OCCURRENCE), an empty template list (NO_TEMPLATES: nothing would be sent) and repeated template ids
 * (DUPLICATE_TEMPLATE). Templates keep their given order.
 */
export function reservationForOccurrence<T extends ScheduleTemplate>(
  scheduleId: string | number,
  schedule: Schedule,
  occurrenceInstant: Date,
  templates: readonly T[],
): ScheduledReservationDraft<T> {
  const key = occurrenceKey(scheduleId, occurrenceInstant);
  const occurrence = occurrenceAt(schedule, occurrenceInstant);
  if (occurrence === null) {
    throw new SchedulingError(
      'NOT_AN_OCCURRENCE',
      'occurrenceInstant',
      `schedule ${schedule.code} has no occurrence at ${occurrenceInstant.toISOString()}`,
    );
  }
  if (templates.length === 0) {
    throw new SchedulingError(
      'NO_TEMPLATES',
      'templates',
      `schedule ${schedule.code} has no messages attached`,
    );
  }
  const seen = new Set<string>();
  const messages = templates.map((template, index) => {
    if (typeof template.id !== 'string' || template.id.length === 0 || seen.has(template.id)) {
      throw new SchedulingError(
        'DUPLICATE_TEMPLATE',
        `templates[${index}].id`,
        'every template needs its own non-empty id',
        { actual: String(template.id) },
      );
    }
    seen.add(template.id);
    return { templateId: template.id, messageKey: `${key}#${template.id}`, template };
  });
  return {
    occurrenceKey: key,
    scheduleId: String(scheduleId),
    scheduleCode: schedule.code,
    sendAt: occurrence.instant,
    reserveTimeZone: schedule.timeZone,
    reserveTime: occurrence.local,
    occurrence,
    status: 'READY',
    messages,
  };
}

/**
 * For a READY reservation made from an occurrence: may it still run, given the schedule as it is now (it may have
 * been updated or disabled since)? Null when it may; otherwise the reason to move it READY → SKIP. The night window
 * for advertising is not judged here (that is @munja/compliance's rule).
 */
export function occurrenceSkipReason(schedule: Schedule, occurrenceInstant: Date): SkipReason | null {
  if (!schedule.enabled) return 'SCHEDULE_DISABLED';
  if (occurrenceAt(schedule, occurrenceInstant) !== null) return null;
  const day = formatLocal(occurrenceInstant, schedule.timeZone).slice(0, 10);
  // A shifted occurrence can show the day after its own; judged on the day shown, an instant just past the period's
  // last day counts as ended rather than changed, which is what the user did in either case.
  return day < schedule.startDate || day > schedule.endDate ? 'SCHEDULE_ENDED' : 'SCHEDULE_CHANGED';
}
