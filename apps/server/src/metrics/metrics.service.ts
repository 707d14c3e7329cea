import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, type Metric, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DISPATCH_LATENCY_BUCKETS } from './metric-counts';
import { compactCounters, type CounterRow, type MetricsSnapshot, readSnapshot } from './metrics-snapshot';

const ACCEPTED_STATES = new Set(['QUEUED', 'RESERVED']);
const FAILED_STATES = new Set(['FAILED', 'EXPIRED']);

type Labels = Record<string, string>;

/**
 * GET /metrics in the Prometheus text format. The registry belongs to this app instance (several apps in one
 * process, as in the tests, do not collide). Message, reservation, schedule and webhook counters are
 * database-wide totals kept by the lifecycle module, in the transaction of each change (metric-counts.ts), and by
 * the delivery worker; a scrape reads
 * them once, then each metric's collect() copies its share.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private snapshot: MetricsSnapshot = { counters: [], queuedMessages: 0, pendingWebhookDeliveries: 0 };

  constructor(@InjectDataSource() private readonly db: DataSource) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- collect() gets the metric as `this`
    const self = this;
    const from = (select: (row: CounterRow) => Labels | null) => {
      return function (this: Counter) {
        this.reset();
        for (const row of self.snapshot.counters) {
          const labels = select(row);
          if (labels) this.inc(labels, row.value);
        }
      };
    };
    const counter = (
      name: string,
      help: string,
      labelNames: string[],
      select: (row: CounterRow) => Labels | null,
    ) => new Counter({ name, help, labelNames, registers: [this.registry], collect: from(select) });

    counter(
      'munja_messages_accepted_total',
      'Messages accepted for sending (queued or reserved), by first planned plugin and type',
      ['plugin', 'type'],
      (r) =>
        r.metric === 'message_created' && ACCEPTED_STATES.has(r.state)
          ? { plugin: r.plugin, type: r.type }
          : null,
    );
    counter(
      'munja_messages_refused_total',
      'Messages stored already closed at acceptance (blocked by compliance, rejected), by state',
      ['plugin', 'type', 'state'],
      (r) =>
        r.metric === 'message_created' && !ACCEPTED_STATES.has(r.state)
          ? { plugin: r.plugin, type: r.type, state: r.state }
          : null,
    );
    counter(
      'munja_messages_sent_total',
      'Messages a vendor accepted (state SENT entered), by plugin and type',
      ['plugin', 'type'],
      (r) => (r.metric === 'message_state' && r.state === 'SENT' ? { plugin: r.plugin, type: r.type } : null),
    );
    counter(
      'munja_messages_delivered_total',
      'Messages reported delivered, by plugin and type',
      ['plugin', 'type'],
      (r) =>
        r.metric === 'message_state' && r.state === 'DELIVERED' ? { plugin: r.plugin, type: r.type } : null,
    );
    counter(
      'munja_messages_failed_total',
      'Messages that failed after sending started (FAILED, or EXPIRED without a report), by plugin and type',
      ['plugin', 'type', 'state'],
      (r) =>
        r.metric === 'message_state' && FAILED_STATES.has(r.state)
          ? { plugin: r.plugin, type: r.type, state: r.state }
          : null,
    );
    counter(
      'munja_message_transitions_total',
      'Every message state entered after acceptance, by plugin, type and state',
      ['plugin', 'type', 'state'],
      (r) => (r.metric === 'message_state' ? { plugin: r.plugin, type: r.type, state: r.state } : null),
    );
    counter(
      'munja_reservations_total',
      'Reservation states entered (READY when made), by status',
      ['status'],
      (r) => (r.metric === 'reservation_state' ? { status: r.state } : null),
    );
    counter(
      'munja_schedule_occurrences_total',
      'Reservations made by recurring schedules, by status entered',
      ['status'],
      (r) => (r.metric === 'schedule_occurrence_state' ? { status: r.state } : null),
    );
    counter(
      'munja_webhook_attempts_total',
      'Webhook POST attempts by event type and outcome (DELIVERED, RETRY, FAILED = given up)',
      ['event_type', 'outcome'],
      (r) => (r.metric === 'webhook_attempt' ? { event_type: r.type, outcome: r.state } : null),
    );
    counter(
      'munja_webhook_deliveries_total',
      'Webhook deliveries finished, by event type and result (delivered, failed)',
      ['event_type', 'result'],
      (r) =>
        r.metric === 'webhook_attempt' && r.state !== 'RETRY'
          ? { event_type: r.type, result: r.state === 'DELIVERED' ? 'delivered' : 'failed' }
          : null,
    );
    new Gauge({
      name: 'munja_queue_depth',
      help: 'Messages queued for dispatch (state QUEUED)',
      registers: [this.registry],
      collect() {
        this.set(self.snapshot.queuedMessages);
      },
    });
    new Gauge({
      name: 'munja_webhook_pending_deliveries',
      help: 'Webhook deliveries waiting for their next attempt',
      registers: [this.registry],
      collect() {
        this.set(self.snapshot.pendingWebhookDeliveries);
      },
    });
    this.registry.registerMetric(this.latencyHistogram());
  }

  /** The text a scrape answers. */
  async render(): Promise<{ contentType: string; body: string }> {
    await compactCounters(this.db);
    this.snapshot = await readSnapshot(this.db);
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * The dispatch latency histogram, rebuilt from the bucket counts. prom-client's Histogram can
   * only observe values one by one, so this renders the same `_bucket/_sum/_count` series itself.
   */
  private latencyHistogram(): Metric {
    const name = 'munja_dispatch_latency_seconds';
    const help = 'Time from when a message was due to the vendor accepting it, by plugin and type';
    const get = () => {
      const series = new Map<string, { labels: Labels; buckets: Map<string, number>; sumMs: number }>();
      for (const row of this.snapshot.counters) {
        if (row.metric !== 'dispatch_latency' && row.metric !== 'dispatch_latency_sum_ms') continue;
        const key = `${row.plugin}\u0000${row.type}`;
        const entry = series.get(key) ?? {
          labels: { plugin: row.plugin, type: row.type },
          buckets: new Map<string, number>(),
          sumMs: 0,
        };
        series.set(key, entry);
        if (row.metric === 'dispatch_latency_sum_ms') entry.sumMs += row.value;
        else entry.buckets.set(row.state, (entry.buckets.get(row.state) ?? 0) + row.value);
      }
      const values: Array<{ metricName: string; labels: Labels; value: number }> = [];
      for (const { labels, buckets, sumMs } of series.values()) {
        let cumulative = 0;
        for (const le of [...DISPATCH_LATENCY_BUCKETS.map(String), '+Inf']) {
          cumulative += buckets.get(le) ?? 0;
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
        }
        values.push({ metricName: `${name}_sum`, labels, value: sumMs / 1000 });
        values.push({ metricName: `${name}_count`, labels, value: cumulative });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    };
    return { name, help, get, reset: () => undefined } as unknown as Metric;
  }
}
