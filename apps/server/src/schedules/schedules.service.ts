import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  confirmScheduleDeletion,
  updateSchedule,
  validateSchedule,
  type Schedule,
  type ScheduleInput,
} from '@munja/scheduling';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { sql } from '../dispatch/sql';
import { cancelReserved } from '../lifecycle/reserved-messages';
import {
  recordReservationTransitions,
  RESERVATION_TRANSITION_COLUMNS,
  type ReservationTransitionRow,
} from '../lifecycle/transition-events';
import { asApiError, isCodeClash, scheduleCodeTaken, scheduleNotFound } from './schedule-errors';
import {
  nextOccurrenceAfter,
  SCHEDULE_COLUMNS,
  scheduleOf,
  scheduleView,
  type ScheduleRow,
  type ScheduleView,
} from './schedule-row';
import type { CreateScheduleDto, UpdateScheduleDto } from './schedules.dto';

/** Create, read, update and delete a project's recurring schedules. */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(projectId: string, body: CreateScheduleDto): Promise<ScheduleView> {
    const now = this.clock.now();
    const schedule = asApiError(() =>
      validateSchedule(definedFields(body) as unknown as ScheduleInput, { now }),
    );
    // Occurrences before the schedule existed are not owed: the cursor starts now.
    const row = await this.guardCode(schedule.code, () =>
      sql<ScheduleRow>(
        this.db,
        `INSERT INTO schedules (project_id, code, weekdays, time, time_zone, start_date, end_date, description,
           enabled, cursor_at, next_at, created_at, updated_at)
         VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $10, $10)
         RETURNING ${SCHEDULE_COLUMNS}`,
        [projectId, ...scheduleParameters(schedule), now, nextOccurrenceAfter(schedule, now)],
      ),
    );
    return scheduleView(row, now, { templates: 0, recipients: 0 });
  }

  async list(projectId: string): Promise<ScheduleView[]> {
    const now = this.clock.now();
    const { rows } = await sql<ScheduleRow & { templates: number; recipients: number }>(
      this.db,
      `SELECT ${prefixed('s')}, ${ATTACHED}
         FROM schedules s WHERE s.project_id = $1 AND s.deleted_at IS NULL ORDER BY s.code`,
      [projectId],
    );
    return rows.map((row) => scheduleView(row, now, row));
  }

  async get(projectId: string, code: string): Promise<ScheduleView> {
    const now = this.clock.now();
    const { rows } = await sql<ScheduleRow & { templates: number; recipients: number }>(
      this.db,
      `SELECT ${prefixed('s')}, ${ATTACHED}
         FROM schedules s WHERE s.project_id = $1 AND s.code = $2 AND s.deleted_at IS NULL`,
      [projectId, code],
    );
    const row = rows[0];
    if (!row) throw scheduleNotFound(code);
    return scheduleView(row, now, row);
  }

  /**
   * The patch's fields replace the schedule's and the whole is validated again. The cursor moves to now: an
   * occurrence the old shape had before now is not made up by the new one.
   */
  async update(projectId: string, code: string, patch: UpdateScheduleDto): Promise<ScheduleView> {
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      const current = await lockLive(manager, projectId, code);
      const schedule = asApiError(() => updateSchedule(scheduleOf(current), definedFields(patch), { now }));
      const cursor = current.cursor_at > now ? current.cursor_at : now;
      await this.guardCode(schedule.code, () =>
        sql<ScheduleRow>(
          manager,
          `UPDATE schedules SET code = $2, weekdays = $3::text[], time = $4, time_zone = $5, start_date = $6,
             end_date = $7, description = $8, enabled = $9, cursor_at = $10, next_at = $11, updated_at = $12,
             revision = revision + 1
           WHERE id = $1 RETURNING ${SCHEDULE_COLUMNS}`,
          [current.id, ...scheduleParameters(schedule), cursor, nextOccurrenceAfter(schedule, cursor), now],
        ),
      );
    });
    return this.get(projectId, patch.code ?? code);
  }

  /**
   * Deletes (softly: its occurrences and their messages stay readable in history) once the code is typed again.
   * A reservation of it still READY (made, not yet started) is SKIPped with its messages: a deleted schedule
   * sends nothing more.
   */
  async delete(projectId: string, code: string, confirmCode: string | undefined): Promise<void> {
    if (confirmCode === undefined || confirmCode === '') {
      throw ApiError.badRequest(
        'REQUIRED',
        'confirmCode: type the schedule’s code again to delete it',
        'confirmCode',
      );
    }
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      const current = await lockLive(manager, projectId, code);
      asApiError(() => confirmScheduleDeletion(current, confirmCode));
      await sql(
        manager,
        `UPDATE schedules SET deleted_at = $2, next_at = NULL, updated_at = $2, revision = revision + 1 WHERE id = $1`,
        [current.id, now],
      );
      const { rows } = await sql<ReservationTransitionRow>(
        manager,
        `UPDATE reservations SET status = 'SKIP', skip_reason = 'SCHEDULE_DELETED', updated_at = $2
          WHERE schedule_id = $1 AND status = 'READY' RETURNING ${RESERVATION_TRANSITION_COLUMNS}`,
        [current.id, now],
      );
      await recordReservationTransitions(manager, rows);
      if (rows.length > 0) {
        await cancelReserved(
          manager,
          rows.map((r) => r.id),
          { code: 'SCHEDULE_DELETED', text: 'the schedule was deleted before this occurrence started' },
          now,
        );
      }
    });
  }

  /** Runs a write that may clash with another live schedule's code: 409 SCHEDULE_CODE_TAKEN. */
  private async guardCode(code: string, write: () => Promise<{ rows: ScheduleRow[] }>): Promise<ScheduleRow> {
    try {
      const { rows } = await write();
      return rows[0]!;
    } catch (error) {
      if (isCodeClash(error)) throw scheduleCodeTaken(code);
      throw error;
    }
  }
}

/** The live schedule with this code, locked for the rest of the transaction; 404 when there is none. */
export async function lockLive(
  manager: EntityManager,
  projectId: string,
  code: string,
): Promise<ScheduleRow> {
  const { rows } = await sql<ScheduleRow>(
    manager,
    `SELECT ${SCHEDULE_COLUMNS} FROM schedules WHERE project_id = $1 AND code = $2 AND deleted_at IS NULL FOR UPDATE`,
    [projectId, code],
  );
  const row = rows[0];
  if (!row) throw scheduleNotFound(code);
  return row;
}

const ATTACHED = `
  (SELECT count(*)::int FROM schedule_templates t WHERE t.schedule_id = s.id) AS templates,
  (SELECT COALESCE(sum(t.recipient_count), 0)::int FROM schedule_templates t WHERE t.schedule_id = s.id) AS recipients`;

function prefixed(alias: string): string {
  return SCHEDULE_COLUMNS.split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');
}

function scheduleParameters(schedule: Schedule): unknown[] {
  return [
    schedule.code,
    schedule.weekdays,
    schedule.time,
    schedule.timeZone,
    schedule.startDate,
    schedule.endDate,
    schedule.description,
    schedule.enabled,
  ];
}

/** The DTO's given fields only (class-transformer leaves absent ones undefined). */
function definedFields(dto: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
}
