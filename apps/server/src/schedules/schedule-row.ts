import { listOccurrences, type Schedule, type Weekday } from '@munja/scheduling';

/** A `schedules` row as the queries here select it. */
export interface ScheduleRow {
  id: string;
  project_id: string;
  code: string;
  weekdays: Weekday[];
  time: string;
  time_zone: string;
  start_date: string;
  end_date: string;
  description: string;
  enabled: boolean;
  cursor_at: Date;
  next_at: Date | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

export const SCHEDULE_COLUMNS = `id, project_id, code, weekdays, time, time_zone, start_date, end_date, description,
  enabled, cursor_at, next_at, revision, created_at, updated_at`;

/** The stored row as @munja/scheduling's validated schedule. */
export function scheduleOf(row: ScheduleRow): Schedule {
  return {
    code: row.code,
    weekdays: row.weekdays,
    time: row.time,
    timeZone: row.time_zone,
    startDate: row.start_date,
    endDate: row.end_date,
    description: row.description,
    enabled: row.enabled,
  };
}

/** The first occurrence strictly after `after`, or null when the period has none left. */
export function nextOccurrenceAfter(schedule: Schedule, after: Date): Date | null {
  return listOccurrences(schedule, after, 1)[0]?.instant ?? null;
}

/** How many upcoming occurrences a schedule's view lists. */
export const UPCOMING_SHOWN = 5;

export interface UpcomingOccurrence {
  sendTime: string;
  /** the wall time in the schedule's zone, `yyyy-MM-dd HH:mm` (after a DST gap, later than `time`) */
  local: string;
}

export interface ScheduleView {
  scheduleId: string;
  code: string;
  weekdays: Weekday[];
  time: string;
  timeZone: string;
  startDate: string;
  endDate: string;
  description: string;
  enabled: boolean;
  /** the next occurrence the runner will handle, null once the period is over */
  nextSendTime: string | null;
  /** the next occurrences after now, in order */
  upcoming: UpcomingOccurrence[];
  templates: number;
  recipients: number;
  createdAt: string;
  updatedAt: string;
}

export function scheduleView(
  row: ScheduleRow,
  now: Date,
  attached: { templates: number; recipients: number },
): ScheduleView {
  const schedule = scheduleOf(row);
  return {
    scheduleId: row.id,
    ...schedule,
    nextSendTime: row.next_at?.toISOString() ?? null,
    upcoming: listOccurrences(schedule, now, UPCOMING_SHOWN).map((o) => ({
      sendTime: o.instant.toISOString(),
      local: o.local,
    })),
    templates: attached.templates,
    recipients: attached.recipients,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
