import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { cancelReservation, SchedulingError } from '@munja/scheduling';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { sql } from '../dispatch/sql';
import { cancelReserved } from '../lifecycle/reserved-messages';
import {
  recordReservationTransitions,
  RESERVATION_TRANSITION_COLUMNS,
  type ReservationTransitionRow,
} from '../lifecycle/transition-events';
import { CLOCK, Clock } from '../common/clock';
import { decodeCursor, encodeCursor } from '../common/page-cursor';
import { ListReservationsQuery, ReservationPage, ReservationView } from './reservations.dto';
import type { ReservationStatus } from '@munja/scheduling';

interface ReservationJoinRow {
  id: string;
  request_id: string;
  send_at: Date;
  status: ReservationStatus;
  created_at: Date;
  updated_at: Date;
  schedule_id: string | null;
  reserve_time_zone: string | null;
  requested_type: string | null;
  content_type: string | null;
  country_code: string | null;
  from_number: string | null;
  subject: string | null;
  content: string | null;
  accepted_count: number | null;
  rejected_count: number | null;
}

const SELECT = `
  SELECT r.id, r.request_id, r.send_at, r.status, r.created_at, r.updated_at, r.schedule_id,
         q.reserve_time_zone, q.requested_type, q.content_type, q.country_code, q.from_number, q.subject,
         q.content, q.accepted_count, q.rejected_count
  FROM reservations r JOIN send_requests q ON q.id = r.request_id`;

function reservationView(row: ReservationJoinRow): ReservationView {
  return {
    reservationId: row.id,
    requestId: row.request_id,
    sendTime: row.send_at.toISOString(),
    reserveTimeZone: row.reserve_time_zone,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    scheduleId: row.schedule_id,
    request: {
      type: row.requested_type,
      contentType: row.content_type,
      countryCode: row.country_code,
      from: row.from_number,
      subject: row.subject,
      content: row.content,
      recipients: (row.accepted_count ?? 0) + (row.rejected_count ?? 0),
    },
  };
}

const DEFAULT_LIMIT = 100;

/** Reservations of a project: list, look up, cancel. Release at send time and STALE belong to dispatch. */
@Injectable()
export class ReservationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Newest send time first, keyset-paginated over (send_at, id). */
  async list(projectId: string, query: ListReservationsQuery): Promise<ReservationPage> {
    const where = ['r.project_id = $1'];
    const parameters: unknown[] = [projectId];
    const add = (clause: string, value: unknown) => {
      parameters.push(value);
      where.push(clause.replace('?', `$${parameters.length}`));
    };
    if (query.sendTimeFrom) add('r.send_at >= ?', new Date(query.sendTimeFrom));
    if (query.sendTimeTo) add('r.send_at < ?', new Date(query.sendTimeTo));
    if (query.status) add('r.status = ?', query.status);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      parameters.push(cursor.time, cursor.id);
      where.push(`(r.send_at, r.id) < ($${parameters.length - 1}::timestamptz, $${parameters.length}::uuid)`);
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    parameters.push(limit + 1);
    const rows: ReservationJoinRow[] = await this.dataSource.query(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.send_at DESC, r.id DESC LIMIT $${parameters.length}`,
      parameters,
    );
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const last = items[items.length - 1];
    return {
      items: items.map(reservationView),
      nextCursor: more && last ? encodeCursor({ time: last.send_at, id: last.id }) : null,
    };
  }

  async get(projectId: string, id: string): Promise<ReservationView> {
    const rows: ReservationJoinRow[] = await this.dataSource.query(
      `${SELECT} WHERE r.project_id = $1 AND r.id = $2`,
      [projectId, id],
    );
    const row = rows[0];
    if (!row) throw ApiError.notFound('Reservation', 'reservationId');
    return reservationView(row);
  }

  /**
   * READY → CANCELED through @munja/scheduling's state machine (409 RESERVATION_NOT_CANCELABLE otherwise), and its
   * waiting messages become CANCELED (COMPLETED, fail) in the same transaction. The row lock orders this against
   * the dispatcher's release of the same reservation.
   */
  async cancel(projectId: string, id: string): Promise<ReservationView> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const rows: { status: ReservationStatus }[] = await manager.query(
        `SELECT status FROM reservations WHERE project_id = $1 AND id = $2 FOR UPDATE`,
        [projectId, id],
      );
      const row = rows[0];
      if (!row) throw ApiError.notFound('Reservation', 'reservationId');
      let next: ReservationStatus;
      try {
        next = cancelReservation(row.status);
      } catch (error) {
        if (error instanceof SchedulingError) throw ApiError.conflict(error.code, error.message, 'status');
        throw error;
      }
      const { rows: changed } = await sql<ReservationTransitionRow>(
        manager,
        `UPDATE reservations SET status = $2, updated_at = $3 WHERE id = $1 RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
        [id, next, now],
      );
      await recordReservationTransitions(manager, changed);
      await cancelReserved(manager, [id], { code: 'CANCELED', text: 'the reservation was canceled' }, now);
    });
    return this.get(projectId, id);
  }
}
