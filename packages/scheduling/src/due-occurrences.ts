import { instantMillis, nonNegativeMillis } from './instant';
import { occurrencesAfter, Occurrence } from './occurrences';
import { SkipReason } from './reservation-status';
import { Schedule } from './schedule';
import { decideStart, DEFAULT_GRACE_MS } from './start-decision';

export interface DueOccurrences {
  /** due within the grace window: make their reservations and start them now */
  fire: Occurrence[];
  /** missed by more than the grace window: record them as STALE, never send them late */
  stale: Occurrence[];
  /** due, but the schedule is disabled: record them as SKIP with `skipReason` */
  skip: Occurrence[];
  skipReason: SkipReason | null;
  /** the first occurrence after `now`, or null when there is none */
  next: Occurrence | null;
  /** true when the schedule will never fire again (its period is over, or no selected weekday is left in it) */
  ended: boolean;
  /**
   * what to pass as `after` next time, once these occurrences are recorded: the last occurrence handled here, or
   * the given `after` when none was due
   */
  cursor: Date;
}

/**
 * Tells the schedule runner what to do at `now` with the occurrences after `after` (the cursor it saved last time,
 * or the schedule's creation time). Each occurrence with after < instant ≤ now is judged by {@link decideStart}: within
 * the grace window it fires, past it it is stale; a disabled schedule skips them all. Several runners may compute
 * this at once: they agree, and the occurrence keys keep each one fired once.
 */
export function dueOccurrences(
  schedule: Schedule,
  after: Date,
  now: Date,
  graceMs: number = DEFAULT_GRACE_MS,
): DueOccurrences {
  const afterMs = instantMillis(after, 'after');
  const nowMs = instantMillis(now, 'now');
  nonNegativeMillis(graceMs, 'graceMs');
  const result: DueOccurrences = {
    fire: [],
    stale: [],
    skip: [],
    skipReason: null,
    next: null,
    ended: true,
    cursor: new Date(afterMs),
  };
  for (const occurrence of occurrencesAfter(schedule, after)) {
    if (occurrence.instant.getTime() > nowMs) {
      result.next = occurrence;
      result.ended = false;
      break;
    }
    result.cursor = occurrence.instant;
    if (!schedule.enabled) {
      result.skip.push(occurrence);
      result.skipReason = 'SCHEDULE_DISABLED';
    } else if (decideStart(occurrence.instant, now, graceMs).action === 'START') {
      result.fire.push(occurrence);
    } else {
      result.stale.push(occurrence);
    }
  }
  return result;
}
