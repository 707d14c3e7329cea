import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { WEBHOOK_CHANNEL } from './webhook-channel';
import { query } from './webhook-sql';
import { TEST_EVENT_TYPE, type EndpointStatus, type TestEventView } from './webhooks.dto';

/**
 * "Send a test event": one webhook.test event queued for one endpoint as an ordinary delivery, so the
 * worker signs, sends, retries and logs it exactly like a real event (that path is what is being tested).
 */
@Injectable()
export class WebhookTestEvents {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async queue(projectId: string, endpointId: string): Promise<TestEventView> {
    const now = this.clock.now();
    const eventId = randomUUID();
    const deliveryId = await this.db.transaction(async (manager) => {
      // FOR SHARE: a concurrent delete or disable waits, so the delivery never lands on a gone endpoint.
      const { rows } = await query<{ status: EndpointStatus }>(
        manager,
        `SELECT status FROM webhook_endpoints WHERE project_id = $1 AND id = $2 FOR SHARE`,
        [projectId, endpointId],
      );
      const endpoint = rows[0];
      if (!endpoint) throw ApiError.notFound('Webhook endpoint', 'endpointId');
      // The worker claims only deliveries of enabled endpoints: queued here it would wait for a re-enable.
      if (endpoint.status !== 'ENABLED') {
        throw ApiError.conflict(
          'WEBHOOK_ENDPOINT_DISABLED',
          'endpointId: the endpoint is disabled; enable it (PATCH enabled: true) before sending a test event',
          'endpointId',
        );
      }
      await query(
        manager,
        `INSERT INTO webhook_events (id, project_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [
          eventId,
          projectId,
          TEST_EVENT_TYPE,
          JSON.stringify({ endpointId, message: 'A test event from Munja: this endpoint receives events.' }),
          now,
        ],
      );
      const { rows: queued } = await query<{ id: string }>(
        manager,
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, project_id, status, created_at)
         VALUES ($1, $2, $3, 'PENDING', $4) RETURNING id`,
        [eventId, endpointId, projectId, now],
      );
      // Wakes the workers listening on a PostgreSQL server, as the outbox does (PGlite: the worker's timer).
      await query(manager, `SELECT pg_notify($1, '')`, [WEBHOOK_CHANNEL]);
      return queued[0]!.id;
    });
    return { eventId, deliveryId, type: TEST_EVENT_TYPE, createdAt: now.toISOString() };
  }
}
