import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { timeOrderedId } from '../messages/message-id';
import { insertEventRows } from './webhook-events';
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
    const eventId = timeOrderedId(now);
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
      await insertEventRows(manager, [
        {
          id: eventId,
          projectId,
          type: TEST_EVENT_TYPE,
          data: JSON.stringify({
            endpointId,
            message: 'A test event from Munja: this endpoint receives events.',
          }),
          at: now,
          endpointIds: [endpointId],
        },
      ]);
      // The outbox statement returns no ids (a bulk's would be thousands): the one delivery, by its unique key.
      const { rows: queued } = await query<{ id: string }>(
        manager,
        `SELECT id FROM webhook_deliveries WHERE event_id = $1 AND endpoint_id = $2`,
        [eventId, endpointId],
      );
      return queued[0]!.id;
    });
    return { eventId, deliveryId, type: TEST_EVENT_TYPE, createdAt: now.toISOString() };
  }
}
