import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock';
import { sql } from '../dispatch/sql';
import { IN_QUEUE, shownStateSql, stateList, statesWithStatus } from '../lifecycle/message-states';
import type { SendMessageDto } from '../messages/send-message.dto';
import { scheduleNotFound } from './schedule-errors';
import type { OccurrencesQuery } from './schedules.dto';

export interface TemplateView {
  templateId: string;
  createdAt: string;
  recipients: number;
  /** the send body as attached (without scheduleCode) */
  message: Omit<SendMessageDto, 'scheduleCode'>;
}

export interface OccurrenceRequestView {
  requestId: string;
  templateId: string | null;
  accepted: number;
  rejected: number;
  /** set when the whole template was refused at the occurrence (e.g. AD_NIGHT_WINDOW, CALLING_NUMBER_NOT_APPROVED) */
  refused: { code: string; message: string } | null;
}

export interface MessageCounts {
  total: number;
  ready: number;
  processing: number;
  completed: number;
  success: number;
  fail: number;
}

export interface OccurrenceView {
  occurrenceKey: string;
  sendTime: string;
  reservationId: string;
  /** READY, PROCESSING, DONE, FAIL, CANCELED, STALE or SKIP */
  status: string;
  skipReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** the reservation's messages by result */
  messages: MessageCounts;
  requests: OccurrenceRequestView[];
}

interface OccurrenceRow extends MessageCounts {
  id: string;
  occurrence_key: string;
  send_at: Date;
  status: string;
  skip_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const DEFAULT_OCCURRENCES = 50;

/** The state the API shows of an occurrence's message `m` (its queue row `q` leased past $4: SENDING; gone: SENT). */
const SHOWN = shownStateSql('m', 'q', '$4');

/** What a schedule holds and what it made: its templates, and per occurrence the reservation and results. */
@Injectable()
export class ScheduleHistoryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async templates(projectId: string, code: string): Promise<TemplateView[]> {
    const scheduleId = await this.scheduleId(projectId, code);
    const { rows } = await sql<{
      id: string;
      created_at: Date;
      recipient_count: number;
      body: SendMessageDto;
    }>(
      this.db,
      `SELECT id, created_at, recipient_count, body FROM schedule_templates
        WHERE schedule_id = $1 ORDER BY created_at, id`,
      [scheduleId],
    );
    return rows.map((row) => ({
      templateId: row.id,
      createdAt: row.created_at.toISOString(),
      recipients: row.recipient_count,
      message: row.body,
    }));
  }

  /** Occurrences made so far, newest first; `before` pages on. */
  async occurrences(projectId: string, code: string, query: OccurrencesQuery): Promise<OccurrenceView[]> {
    const scheduleId = await this.scheduleId(projectId, code);
    const { rows } = await sql<OccurrenceRow>(
      this.db,
      `SELECT r.id, r.occurrence_key, r.send_at, r.status, r.skip_reason, r.created_at, r.updated_at,
              count(m.*)::int AS total,
              (count(*) FILTER (WHERE ${SHOWN} IN ${stateList(statesWithStatus('READY'))}))::int AS ready,
              (count(*) FILTER (WHERE ${SHOWN} IN ${stateList(statesWithStatus('PROCESSING'))}))::int AS processing,
              (count(*) FILTER (WHERE m.status = 'COMPLETED'))::int AS completed,
              (count(*) FILTER (WHERE m.status_name = 'success'))::int AS success,
              (count(*) FILTER (WHERE m.status_name = 'fail'))::int AS fail
         FROM reservations r LEFT JOIN messages m ON m.reservation_id = r.id
         -- a queued message is being sent while its queue row is leased, and sent once it is gone (see shownState)
         LEFT JOIN message_queue q ON m.state IN ${stateList(IN_QUEUE)} AND q.message_id = m.id
        WHERE r.schedule_id = $1 AND ($2::timestamptz IS NULL OR r.send_at < $2)
        GROUP BY r.id ORDER BY r.send_at DESC LIMIT $3`,
      [scheduleId, query.before ?? null, query.limit ?? DEFAULT_OCCURRENCES, this.clock.now()],
    );
    const { rows: requests } = await sql<{
      id: string;
      reservation_id: string;
      accepted_count: number;
      rejected_count: number;
      response: { templateId?: string | null; refused?: { code: string; message: string } | null };
    }>(
      this.db,
      `SELECT id, reservation_id, accepted_count, rejected_count, response FROM send_requests
        WHERE reservation_id = ANY($1::uuid[]) AND source = 'schedule' ORDER BY request_time, id`,
      [rows.map((r) => r.id)],
    );
    return rows.map((row) => ({
      occurrenceKey: row.occurrence_key,
      sendTime: row.send_at.toISOString(),
      reservationId: row.id,
      status: row.status,
      skipReason: row.skip_reason,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      messages: {
        total: row.total,
        ready: row.ready,
        processing: row.processing,
        completed: row.completed,
        success: row.success,
        fail: row.fail,
      } satisfies MessageCounts,
      requests: requests
        .filter((q) => q.reservation_id === row.id && q.response?.templateId)
        .map((q) => ({
          requestId: q.id,
          templateId: q.response.templateId ?? null,
          accepted: q.accepted_count,
          rejected: q.rejected_count,
          refused: q.response.refused ?? null,
        })),
    }));
  }

  /** A live schedule's id, or a deleted one's (its history stays readable by code until reused). */
  private async scheduleId(projectId: string, code: string): Promise<string> {
    const { rows } = await sql<{ id: string }>(
      this.db,
      `SELECT id FROM schedules WHERE project_id = $1 AND code = $2
        ORDER BY deleted_at IS NULL DESC, deleted_at DESC LIMIT 1`,
      [projectId, code],
    );
    const row = rows[0];
    if (!row) throw scheduleNotFound(code);
    return row.id;
  }
}
