import type { ReviewResult } from '@munja/compliance';
import type { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { sql } from '../dispatch/sql';
import type { MessagesService, SendBasis } from '../messages/messages.service';
import { refusal } from '../messages/refusal';
import { rejectedViews, type RejectedView } from '../messages/send-plan';
import type { SendMessageDto } from '../messages/send-message.dto';

/** Templates one schedule may hold (each up to 1,000 recipients): an occurrence sends at most 100,000 messages. */
export const MAX_TEMPLATES_PER_SCHEDULE = 100;

/** The answer of `POST /v1/messages` with `scheduleCode`: the message became a template of the schedule. */
export interface ScheduleAttachAnswer {
  statusCode: '202';
  statusName: 'scheduled';
  scheduleCode: string;
  /** null on a dry run (nothing stored) */
  templateId: string | null;
  /** the schedule's next occurrence, when the template is first sent (null once its period is over) */
  nextSendTime: string | null;
  /** recipients that would be sent to if the schedule fired now */
  accepted: number;
  /** recipients refused now (they are judged again at every occurrence) */
  rejected: RejectedView[];
}

/**
 * `POST /v1/messages` with `scheduleCode`: the send is checked now as a send would be (400/422 with the same codes,
 * nothing stored when refused), then stored as a template of the schedule instead of being sent. The night window
 * is not judged here: it is judged at each occurrence's instant (an AD occurrence at night is SKIP). No
 * `reserveTime` (the schedule decides when) and no `Idempotency-Key` (attaching twice attaches twice).
 */
export async function attachToSchedule(
  sending: MessagesService,
  db: DataSource,
  projectId: string,
  body: SendMessageDto & { scheduleCode: string },
  options: { now: Date; dryRun: boolean; idempotencyKey?: string },
): Promise<ScheduleAttachAnswer> {
  if (options.idempotencyKey !== undefined) {
    throw ApiError.badRequest(
      'IDEMPOTENCY_KEY_NOT_SUPPORTED',
      'Idempotency-Key is not supported when attaching a message to a schedule',
      'Idempotency-Key',
    );
  }
  if (body.reserveTime !== undefined || body.reserveTimeZone !== undefined) {
    throw ApiError.badRequest(
      'RESERVE_TIME_NOT_ALLOWED',
      'a schedule decides when its messages go: reserveTime cannot be combined with scheduleCode',
      body.reserveTime !== undefined ? 'reserveTime' : 'reserveTimeZone',
    );
  }
  const { scheduleCode, ...fields } = body;
  const live = await liveSchedule(db, projectId, scheduleCode, false);
  const review = await reviewForAttach(sending, projectId, fields as SendMessageDto, options.now);
  const answer: ScheduleAttachAnswer = {
    statusCode: '202',
    statusName: 'scheduled',
    scheduleCode,
    templateId: null,
    nextSendTime: live.next_at?.toISOString() ?? null,
    accepted: review.summary.planned,
    rejected: rejectedViews(review),
  };
  if (options.dryRun) return answer;

  answer.templateId = await db.transaction(async (manager) => {
    // Locked so a concurrent delete or attach sees this one (and the template limit holds).
    const schedule = await liveSchedule(manager, projectId, scheduleCode, true);
    const [count] = (
      await sql<{ templates: number }>(
        manager,
        `SELECT count(*)::int AS templates FROM schedule_templates WHERE schedule_id = $1`,
        [schedule.id],
      )
    ).rows;
    if ((count?.templates ?? 0) >= MAX_TEMPLATES_PER_SCHEDULE) {
      throw ApiError.unprocessable(
        'TOO_MANY_TEMPLATES',
        `a schedule holds at most ${MAX_TEMPLATES_PER_SCHEDULE} messages`,
        'scheduleCode',
      );
    }
    const { rows } = await sql<{ id: string }>(
      manager,
      `INSERT INTO schedule_templates (schedule_id, project_id, body, recipient_count, created_at)
       VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id`,
      [schedule.id, projectId, JSON.stringify(fields), fields.messages.length, options.now],
    );
    return rows[0]!.id;
  });
  return answer;
}

/** The send reviewed now, with the night window left to the occurrences; refused as a send would be. */
async function reviewForAttach(
  sending: MessagesService,
  projectId: string,
  fields: SendMessageDto,
  now: Date,
): Promise<ReviewResult> {
  const basis = await sending.prepare(projectId, fields, now);
  const daytime: SendBasis = {
    ...basis,
    context: { ...basis.context, policy: { ...basis.context.policy, nightWindow: 'defer' } },
  };
  const review = await sending.review(projectId, daytime, fields, fields.messages);
  if (review.summary.planned === 0) {
    const first = review.recipients.find((r) => r.outcome === 'REJECTED');
    if (first && first.outcome === 'REJECTED') {
      throw refusal({
        code: first.code,
        field: first.field,
        message: `no recipient can be sent to; ${first.field}: ${first.message}`,
      });
    }
  }
  return review;
}

async function liveSchedule(
  db: Parameters<typeof sql>[0],
  projectId: string,
  code: string,
  lock: boolean,
): Promise<{ id: string; next_at: Date | null }> {
  const { rows } = await sql<{ id: string; next_at: Date | null }>(
    db,
    `SELECT id, next_at FROM schedules WHERE project_id = $1 AND code = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [projectId, code],
  );
  const row = rows[0];
  if (!row) {
    throw ApiError.unprocessable('SCHEDULE_NOT_FOUND', `the project has no schedule ${code}`, 'scheduleCode');
  }
  return row;
}
