import type { ReviewResult } from '@munja/compliance';
import {
  occurrenceKey,
  reservationForOccurrence,
  type DueOccurrences,
  type Occurrence,
} from '@munja/scheduling';
import { ApiError } from '../common/api-error';
import { timeOrderedId } from '../messages/message-id';
import type { MessagesService, SendBasis } from '../messages/messages.service';
import type { SendMessageDto } from '../messages/send-message.dto';
import { scheduleOf, type ScheduleRow } from './schedule-row';

/** A template as stored: the send body accepted by `POST /v1/messages` with `scheduleCode`. */
export interface TemplateRow {
  id: string;
  body: SendMessageDto;
}

/** One template judged at an occurrence: reviewed (its rows to store), or refused as a whole. */
export interface TemplatePlan {
  readonly template: TemplateRow;
  readonly requestId: string;
  readonly reviewed?: { readonly basis: SendBasis; readonly review: ReviewResult };
  readonly refused?: { readonly code: string; readonly message: string };
}

/** What one occurrence makes: exactly one reservation, READY with messages or SKIP/STALE with none to send. */
export interface OccurrencePlan {
  readonly occurrence: Occurrence;
  readonly key: string;
  readonly status: 'READY' | 'SKIP' | 'STALE';
  readonly skipReason: string | null;
  readonly templates: readonly TemplatePlan[];
}

/**
 * Plans a schedule's due occurrences (`dueOccurrences` of @munja/scheduling): a missed one is STALE, one of a
 * disabled schedule SKIP, and one that fires re-runs the send path's checks at the occurrence's instant for each
 * template — calling number still APPROVED, for AD the 080 service still COMPLETE and the block list as it is
 * now, and the night window judged at that instant (refused, never deferred). An occurrence whose templates are
 * all refused, or that has none, is SKIP with the first reason.
 */
export async function planOccurrences(
  sending: MessagesService,
  row: ScheduleRow,
  due: DueOccurrences,
  templates: readonly TemplateRow[],
): Promise<OccurrencePlan[]> {
  const schedule = scheduleOf(row);
  const plans: OccurrencePlan[] = [];
  const bare = (occurrence: Occurrence, status: 'SKIP' | 'STALE', reason: string | null): OccurrencePlan => ({
    occurrence,
    key: occurrenceKey(row.id, occurrence.instant),
    status,
    skipReason: reason,
    templates: [],
  });
  for (const occurrence of due.stale) plans.push(bare(occurrence, 'STALE', null));
  for (const occurrence of due.skip) plans.push(bare(occurrence, 'SKIP', due.skipReason));
  for (const occurrence of due.fire) {
    if (templates.length === 0) {
      plans.push(bare(occurrence, 'SKIP', 'NO_TEMPLATES'));
      continue;
    }
    const draft = reservationForOccurrence(row.id, schedule, occurrence.instant, templates);
    const judged: TemplatePlan[] = [];
    for (const { template } of draft.messages) {
      judged.push(await judgeTemplate(sending, row.project_id, template, occurrence.instant));
    }
    const sendable = judged.some((t) => (t.reviewed?.review.summary.planned ?? 0) > 0);
    plans.push({
      occurrence,
      key: draft.occurrenceKey,
      status: sendable ? 'READY' : 'SKIP',
      skipReason: sendable ? null : firstReason(judged),
      templates: judged,
    });
  }
  return plans.sort((a, b) => a.occurrence.instant.getTime() - b.occurrence.instant.getTime());
}

async function judgeTemplate(
  sending: MessagesService,
  projectId: string,
  template: TemplateRow,
  instant: Date,
): Promise<TemplatePlan> {
  const requestId = timeOrderedId(instant);
  try {
    const prepared = await sending.prepare(projectId, template.body, instant);
    // Judged at the occurrence: AD in the night window is refused (the occurrence is SKIP), never moved to 08:00.
    const basis: SendBasis = {
      ...prepared,
      context: { ...prepared.context, policy: { ...prepared.context.policy, nightWindow: 'reject' } },
    };
    const review = await sending.review(projectId, basis, template.body, template.body.messages);
    return { template, requestId, reviewed: { basis, review } };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { template, requestId, refused: { code: error.code, message: error.message } };
  }
}

function firstReason(judged: readonly TemplatePlan[]): string {
  for (const t of judged) {
    if (t.refused) return t.refused.code;
    const rejected = t.reviewed?.review.recipients.find((r) => r.outcome === 'REJECTED');
    if (rejected && rejected.outcome === 'REJECTED') return rejected.code;
  }
  return 'NO_RECIPIENTS';
}
