import type { EntityManager } from 'typeorm';
import { sql } from '../dispatch/sql';
import {
  insertAcceptedMessages,
  recordAcceptedMessages,
  tallyAccepted,
} from '../lifecycle/accepted-messages';
import {
  recordReservationTransitions,
  RESERVATION_TRANSITION_COLUMNS,
  type ReservationTransitionRow,
} from '../lifecycle/transition-events';
import { MetricTally } from '../metrics/metric-counts';
import { timeOrderedId } from '../messages/message-id';
import { messageRows, type AcceptedMessage } from '../messages/send-plan';
import type { OccurrencePlan, TemplatePlan } from './occurrence-plan';
import type { ScheduleRow } from './schedule-row';

export interface WrittenOccurrences {
  ready: number;
  skip: number;
  stale: number;
  /** messages stored RESERVED (to be sent by the reservation release) */
  reserved: number;
  /** occurrences another process had already recorded (the unique occurrence key held) */
  taken: number;
}

/**
 * Stores planned occurrences inside the caller's transaction: per occurrence one send request per template
 * (source `schedule`; a bare one when the occurrence has no template to show), one reservation keyed by the
 * occurrence (`INSERT … ON CONFLICT (occurrence_key) DO NOTHING`), and the messages of its reviewed templates
 * (RESERVED for the release job to start; rejected recipients already closed).
 */
export async function writeOccurrences(
  manager: EntityManager,
  row: ScheduleRow,
  plans: readonly OccurrencePlan[],
  now: Date,
): Promise<WrittenOccurrences> {
  const written: WrittenOccurrences = { ready: 0, skip: 0, stale: 0, reserved: 0, taken: 0 };
  for (const plan of plans) {
    const reservationId = timeOrderedId(now);
    const requests = plan.templates.length > 0 ? plan.templates : [null];
    const requestIds: string[] = [];
    for (const template of requests) {
      requestIds.push(await insertRequest(manager, row, plan, template, reservationId, now));
    }
    const { rows: inserted } = await sql<ReservationTransitionRow>(
      manager,
      `INSERT INTO reservations (id, project_id, request_id, send_at, status, created_at, updated_at, schedule_id,
         occurrence_key, skip_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9)
       ON CONFLICT (occurrence_key) DO NOTHING RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
      [
        reservationId,
        row.project_id,
        requestIds[0],
        plan.occurrence.instant,
        plan.status,
        now,
        row.id,
        plan.key,
        plan.skipReason,
      ],
    );
    if (inserted.length === 0) {
      // Already fired by another process: this one's requests go again, nothing is sent twice.
      await sql(manager, `DELETE FROM send_requests WHERE id = ANY($1::uuid[])`, [requestIds]);
      written.taken += 1;
      continue;
    }
    await recordReservationTransitions(manager, inserted);
    const rows: AcceptedMessage[] = [];
    plan.templates.forEach((t, i) => {
      if (!t.reviewed) return;
      rows.push(
        ...messageRows({
          projectId: row.project_id,
          requestId: requestIds[i]!,
          requestTime: now,
          review: t.reviewed.review,
          request: t.template.body,
          fileIds: t.reviewed.basis.fileIds,
          reservationId,
          routeOf: t.reviewed.basis.routeOf,
        }),
      );
      if (plan.status === 'READY') written.reserved += t.reviewed.review.summary.planned;
    });
    // Recipients refused at the occurrence (BLOCKED since, an invalid number) are stored closed without a
    // reservation by the send path; here they belong to the occurrence too, so its view counts them.
    const stored = rows.map((message) => ({ ...message, reservationId }));
    await insertAcceptedMessages(manager, stored);
    const tally = new MetricTally();
    tallyAccepted(tally, stored);
    await recordAcceptedMessages(
      manager,
      tally,
      requestIds.map((requestId) => ({ projectId: row.project_id, requestId, requestTime: now })),
    );
    written[plan.status === 'READY' ? 'ready' : plan.status === 'SKIP' ? 'skip' : 'stale'] += 1;
  }
  return written;
}

/** The send request of one template at one occurrence (or a bare one), with what happened to it. */
async function insertRequest(
  manager: EntityManager,
  row: ScheduleRow,
  plan: OccurrencePlan,
  template: TemplatePlan | null,
  reservationId: string,
  now: Date,
): Promise<string> {
  const requestId = template?.requestId ?? timeOrderedId(now);
  const body = template?.template.body;
  const review = template?.reviewed?.review;
  const outcome = {
    scheduleId: row.id,
    scheduleCode: row.code,
    occurrenceKey: plan.key,
    templateId: template?.template.id ?? null,
    refused: template?.refused ?? null,
  };
  await sql(
    manager,
    `INSERT INTO send_requests (id, project_id, request_time, content_type, requested_type, country_code,
       from_number, subject, content, file_ids, reserve_time, reserve_time_zone, reservation_id, response,
       accepted_count, rejected_count, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid[], $11, $12, $13, $14::jsonb, $15, $16, 'schedule')`,
    [
      requestId,
      row.project_id,
      now,
      body ? (body.contentType ?? 'COMM') : null,
      body?.type ?? null,
      review?.countryCode ?? body?.countryCode ?? null,
      body?.from ?? null,
      body?.subject ?? null,
      body?.content ?? null,
      template?.reviewed?.basis.fileIds ?? [],
      plan.occurrence.instant,
      row.time_zone,
      reservationId,
      JSON.stringify(outcome),
      review?.summary.planned ?? 0,
      review ? review.summary.rejected : (body?.messages.length ?? 0),
    ],
  );
  return requestId;
}
