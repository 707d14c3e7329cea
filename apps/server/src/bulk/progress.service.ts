import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { ShortLivedCache } from '../common/short-lived-cache';
import { IN_QUEUE, shownStateSql, stateList } from '../lifecycle/message-states';
import type { MessageState } from '../messages/message.entity';

/** Where a send request's messages are now (any request: bulk, JSON or scheduled). */
export interface RequestProgress {
  requestId: string;
  /** messages stored for the request */
  total: number;
  /** total less rejected: the messages that were to be sent */
  accepted: number;
  /** refused by the rules or BLOCKED by the 080 list */
  rejected: number;
  /** waiting for their reservation */
  reserved: number;
  /** due, waiting for a dispatcher */
  queued: number;
  /** claimed by a dispatcher, at the vendor's door */
  sending: number;
  /** accepted by the vendor, awaiting the delivery report */
  sent: number;
  delivered: number;
  /** failed at the vendor or by report, or expired without a report */
  failed: number;
  canceled: number;
  /** nothing left reserved, queued, sending or awaiting its report */
  done: boolean;
}

/**
 * How long one count is reused. Counting a 100,000-message request reads all its rows (100-200 ms of database
 * time): a client polling every 200 ms took a core of the database from the dispatcher it was watching.
 */
export const PROGRESS_CACHE_MS = 1000;

@Injectable()
export class ProgressService {
  private readonly recent = new ShortLivedCache<RequestProgress>(PROGRESS_CACHE_MS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The request's progress, at most PROGRESS_CACHE_MS old; 404 for another project's. */
  async progress(projectId: string, requestId: string): Promise<RequestProgress> {
    const progress = await this.recent.get(`${projectId}/${requestId}`, () =>
      this.count(projectId, requestId),
    );
    return progress!;
  }

  /** One grouped count over the request's messages (the messages_request index). */
  private async count(projectId: string, requestId: string): Promise<RequestProgress> {
    const known: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM send_requests WHERE id = $1 AND project_id = $2`,
      [requestId, projectId],
    );
    if (known.length === 0) throw ApiError.notFound('Request', 'requestId');
    // A message row in the queue's states is SENDING while a dispatcher's lease on its queue row runs, and SENT
    // once its queue row is gone (neither the claim nor the vendor's acceptance writes the row): told apart by
    // their queue rows.
    const counts: { state: MessageState; n: number }[] = await this.dataSource.query(
      `SELECT ${shownStateSql('m', 'q', '$2')} AS state, count(*)::int AS n
         FROM messages m
         LEFT JOIN message_queue q ON m.state IN ${stateList(IN_QUEUE)} AND q.message_id = m.id
        WHERE m.request_id = $1 GROUP BY 1`,
      [requestId, this.clock.now()],
    );
    const of = (...states: MessageState[]): number =>
      counts.reduce((sum, row) => (states.includes(row.state) ? sum + row.n : sum), 0);
    const total = counts.reduce((sum, row) => sum + row.n, 0);
    const rejected = of('REJECTED', 'BLOCKED');
    const unfinished = of('RESERVED', 'QUEUED', 'SENDING', 'SENT');
    return {
      requestId,
      total,
      accepted: total - rejected,
      rejected,
      reserved: of('RESERVED'),
      queued: of('QUEUED'),
      sending: of('SENDING'),
      sent: of('SENT'),
      delivered: of('DELIVERED'),
      failed: of('FAILED', 'EXPIRED'),
      canceled: of('CANCELED'),
      done: unfinished === 0,
    };
  }
}
