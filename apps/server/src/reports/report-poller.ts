import { Logger } from '@nestjs/common';
import type { PendingMessage } from '@munja/provider-kit';
import { ProviderError } from '@munja/provider-kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import { exactTime } from '../dispatch/message-key';
import { ORDERED_CLAIM, sqlPlanned } from '../dispatch/sql';
import type { PluginRegistry } from '../plugins/plugin-registry';
import type { ReportStore } from './report-store';

/**
 * Pending messages handed to a per-message vendor (SENS) in one poll call: one database read and one
 * transaction of results per batch, the vendor lookups in between run at the plugin's concurrency.
 */
export const PENDING_BATCH = 500;
/** Rounds per plugin in one tick while the vendor says it has more (OMNI's queue). */
const MAX_ROUNDS_PER_TICK = 20;
/** Advisory lock key of the report poller ("munja" in ASCII). */
const POLLER_LOCK = 0x6d756e6a61;

/** A batch of awaiting rows, and where the walk goes on after it (undefined: it reached the end). */
interface PendingBatch {
  /** requestTime and sentAt: the awaiting row's, as exact text */
  readonly rows: { message: PendingMessage; requestTime: string; sentAt: string }[];
  readonly after: string | undefined;
}

interface PendingRow {
  id: string;
  request_time: string;
  vendor_message_id: string;
  vendor_request_id: string | null;
  sent_at: string;
}

/**
 * Polls every plugin that polls. Per-message vendors (SENS) get the messages awaiting that plugin's report
 * (awaiting_reports) in the order of its primary key (plugin, vendor id), a batch at a time, walking the whole backlog with a cursor across ticks; queue vendors (OMNI) are drained
 * while they say `more`. A queue's reports are acknowledged only after they are stored.
 */
export class ReportPoller {
  private readonly logger = new Logger('Reports');
  /** where the walk through each plugin's awaiting rows stands: the vendor id of the last one asked about */
  private readonly cursors = new Map<string, string>();
  private stoppedAtRoundLimit = false;

  /**
   * The last tick stopped at its round limit (MAX_ROUNDS_PER_TICK) with more to ask about, and stored reports: the
   * next tick need not wait for the polling interval (a 100,000-message backlog SENS has answers for takes ten
   * ticks, and each waited MUNJA_REPORT_POLL_MS). A tick that stored nothing (the vendor has no results yet) leaves
   * the next one to the interval, so an unanswered backlog is not asked about over and over.
   */
  get behind(): boolean {
    return this.stoppedAtRoundLimit;
  }

  constructor(
    private readonly db: DataSource,
    private readonly registry: PluginRegistry,
    private readonly store: ReportStore,
    private readonly clock: Clock,
  ) {}

  /**
   * One polling round over every polling plugin; answers the number of reports stored. One process polls at a
   * time (a session advisory lock), so several server processes do not ask the vendor the same questions.
   */
  async tick(isStopping: () => boolean): Promise<number> {
    this.stoppedAtRoundLimit = false;
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [POLLER_LOCK])) as {
        locked: boolean;
      }[];
      if (!row?.locked) return 0;
      try {
        return await this.pollAll(isStopping);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [POLLER_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async pollAll(isStopping: () => boolean): Promise<number> {
    let total = 0;
    for (const pluginId of this.registry.ids()) {
      const provider = this.registry.provider(pluginId);
      if (!provider.pollReports) continue;
      // The previous round's reports being stored while the vendor is asked about the next pending messages.
      let storing: Promise<void> | undefined;
      // A per-message vendor's next batch, read while it is asked about this one (its answers said
      // answersPendingOnly last round); the walk's cursor moves only when a batch is taken.
      let readAhead: Promise<PendingBatch> | undefined;
      let answersPendingOnly = false;
      let done = false;
      const storedBefore = total;
      try {
        for (let round = 0; round < MAX_ROUNDS_PER_TICK && !isStopping(); round += 1) {
          const batch = await (readAhead ?? this.pending(pluginId, this.cursors.get(pluginId)));
          readAhead = undefined;
          // past the end: start from the first again next time
          if (batch.after === undefined) this.cursors.delete(pluginId);
          else this.cursors.set(pluginId, batch.after);
          const rows = batch.rows;
          const pending = rows.map((r) => r.message);
          const asking = provider.pollReports({ pending, limit: PENDING_BATCH });
          if (answersPendingOnly && batch.after !== undefined && round + 1 < MAX_ROUNDS_PER_TICK) {
            readAhead = this.pending(pluginId, batch.after);
            // awaited as the next round's batch, or dropped (moving nothing) when the tick ends first
            readAhead.catch(() => undefined);
          }
          const result = await asking;
          answersPendingOnly = result.answersPendingOnly === true;
          // A per-message vendor answers "still in progress" (SENT) for every pending message on every poll:
          // that says nothing new, and storing it each time would grow the audit table without end.
          const asked = new Set(pending.map((p) => p.ref));
          const reports = result.reports.filter(
            (r) => !(r.status === 'SENT' && r.ref !== undefined && asked.has(r.ref)),
          );
          // Rounds are stored (and acknowledged) in order, one at a time.
          await storing;
          storing = undefined;
          const store = async (): Promise<void> => {
            if (reports.length > 0) {
              const applied = await this.store.apply(
                reports,
                'polling',
                this.clock.now(),
                new Map(
                  rows.map((r) => [
                    r.message.ref,
                    {
                      requestTime: r.requestTime,
                      pluginId,
                      vendorMessageId: r.message.vendorMessageId,
                      sentAt: r.sentAt,
                    },
                  ]),
                ),
              );
              total += applied.stored;
            }
            await result.acknowledge();
          };
          // Storing a round took as long as asking about it (100,000-message bench: 30 s and 38 s, one after
          // the other). Where the answers belong to the pending rows alone, the next round's rows lie past the
          // walk's cursor and are asked about meanwhile; a queue vendor is asked again only once this round is
          // acknowledged, or it could hand out the same reports twice.
          if (result.answersPendingOnly) {
            storing = store();
            // awaited (and its failure raised) before the next round; marked handled meanwhile
            storing.catch(() => undefined);
          } else await store();
          const walking = pending.length === PENDING_BATCH; // more SENT rows after this batch
          if (!result.more && !walking) {
            done = true;
            break;
          }
        }
        await storing;
        await readAhead?.catch(() => undefined);
        // only while the vendor is answering: a backlog it has nothing for yet is walked once an interval
        if (!done && !isStopping() && total > storedBefore) this.stoppedAtRoundLimit = true;
      } catch (error) {
        // a round still being stored settles before the next plugin or tick; its own failure is reported here
        await storing?.catch(() => undefined);
        await readAhead?.catch(() => undefined);
        const detail =
          error instanceof ProviderError ? `${error.kind} ${error.vendorCode}` : (error as Error).message;
        if (error instanceof ProviderError && error.kind === 'AUTHENTICATION')
          this.registry.markUnhealthy(pluginId, `report polling refused: ${error.vendorCode}`);
        this.logger.warn({ pluginId, detail }, 'report polling failed; next tick retries');
      }
    }
    return total;
  }

  /** The next batch of a plugin's awaiting rows past `cursor` (a vendor id), in the walk's order. */
  private async pending(pluginId: string, cursor: string | undefined): Promise<PendingBatch> {
    // The primary key's order (plugin, vendor id): the walk needs no index of its own (an entry per awaiting row)
    const { rows } = await sqlPlanned<PendingRow>(
      this.db,
      ORDERED_CLAIM,
      `SELECT message_id AS id, ${exactTime('request_time')} AS request_time, vendor_message_id, vendor_request_id,
              ${exactTime('sent_at')} AS sent_at
         FROM awaiting_reports
        WHERE plugin_id = $1 AND ($2::text IS NULL OR vendor_message_id > $2::text)
        ORDER BY plugin_id, vendor_message_id
        LIMIT $3`,
      [pluginId, cursor ?? null, PENDING_BATCH],
    );
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => ({
        message: {
          ref: r.id,
          vendorMessageId: r.vendor_message_id,
          ...(r.vendor_request_id ? { vendorRequestId: r.vendor_request_id } : {}),
          sentAt: new Date(r.sent_at),
        },
        requestTime: r.request_time,
        sentAt: r.sent_at,
      })),
      after: rows.length < PENDING_BATCH || !last ? undefined : last.vendor_message_id,
    };
  }
}
