import { occurrenceKey } from './occurrence-key';
import { occurrenceAt, Occurrence } from './occurrences';
import { Schedule } from './schedule';
import { SchedulingError } from './scheduling-error';

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
