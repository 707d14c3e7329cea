import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/page-cursor';
import type { DeliveryPage, DeliveryStatus, DeliveryView, ListDeliveriesQuery } from './webhooks.dto';
import { iso, query } from './webhook-sql';

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: string;
}

/** The delivery log: what was sent where, every attempt with its answer. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(projectId: string, filter: ListDeliveriesQuery): Promise<DeliveryPage> {
    const limit = filter.limit ?? 20;
    const where = ['d.project_id = $1'];
    const params: unknown[] = [projectId];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filter.endpointId) add((p) => `d.endpoint_id = ${p}`, filter.endpointId);
    if (filter.eventId) add((p) => `d.event_id = ${p}`, filter.eventId);
    if (filter.status) add((p) => `d.status = ${p}`, filter.status);
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      params.push(cursor.time, cursor.id);
      where.push(`(d.created_at, d.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    return this.snapshot(async (manager) => {
      const { rows } = await query<DeliveryRow>(
        manager,
        `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE ${where.join(' AND ')} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: await this.withAttempts(manager, page),
        nextCursor: rows.length > limit && last ? encodeCursor({ time: last.created_at, id: last.id }) : null,
      };
    });
  }

  async get(projectId: string, id: string): Promise<DeliveryView> {
    return this.snapshot(async (manager) => {
      const { rows } = await query<DeliveryRow>(
        manager,
        `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE d.project_id = $1 AND d.id = $2`,
        [projectId, id],
      );
      if (rows.length === 0) throw ApiError.notFound('Webhook delivery', 'id');
      const [view] = await this.withAttempts(manager, rows);
      return view!;
    });
  }

  /**
   * Deliveries and their attempts read in one snapshot: a worker recording an attempt in between would
   * otherwise show a delivery without the attempt just logged, or the other way round.
   */
  private snapshot<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', read);
  }

  private async withAttempts(manager: EntityManager, rows: DeliveryRow[]): Promise<DeliveryView[]> {
    if (rows.length === 0) return [];
    const { rows: attempts } = await query<AttemptRow>(
      manager,
      `SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, attempt`,
      [rows.map((row) => row.id)],
    );
    const byDelivery = new Map<string, AttemptRow[]>();
    for (const attempt of attempts) {
      const list = byDelivery.get(attempt.delivery_id) ?? [];
      list.push(attempt);
      byDelivery.set(attempt.delivery_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      endpointId: row.endpoint_id,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: iso(row.next_attempt_at),
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      createdAt: row.created_at.toISOString(),
      completedAt: iso(row.completed_at),
      attemptLog: (byDelivery.get(row.id) ?? []).map((attempt) => ({
        attempt: attempt.attempt,
        startedAt: attempt.started_at.toISOString(),
        durationMs: attempt.duration_ms,
        statusCode: attempt.status_code,
        error: attempt.error,
        outcome: attempt.outcome,
      })),
    }));
  }
}
