import { request } from 'undici';
import type { VendorContext } from '../vendor-context';
import {
  CARRIERS,
  kstIso,
  kstLocalMillis,
  POLLING_BATCH_MAX,
  REPORT_CODES,
  REPORT_TYPE,
  SERVICE,
  type OmniKind,
  type OmniReport,
} from './wire';

/** What a webhook call carries: the same shape the plugin's parseWebhook receives. */
export interface OmniWebhookCall {
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

export interface AcceptedMessage {
  readonly msgKey: string;
  readonly kind: OmniKind;
  readonly ref?: string;
  readonly parts: number;
  readonly acceptedAt: number;
}

interface PendingReport {
  readonly dueAt: number;
  readonly seq: number;
  readonly build: (reportTimeMs: number) => OmniReport;
}

export interface WebhookPolicy {
  /** tries per report before it falls back to the polling queue */
  attempts: number;
  /** wait before the first retry; doubles each time */
  backoffMs: number;
  /** reports POSTed at the same time */
  concurrency: number;
}

/** Most webhook-shaped reports kept for `webhookRequests()` (a bench would otherwise grow it forever). */
const WEBHOOK_LOG_MAX = 200_000;

/**
 * Makes OMNI's delivery reports and hands them out: polled in batches of at most 1,000, the next batch only
 * after the previous `reportId` was acknowledged, or POSTed one report per call to a webhook URL.
 */
export class OmniReports {
  private pending: PendingReport[] = [];
  private seq = 0;
  private readonly queue: OmniReport[] = [];
  private outstanding: { reportId: string; reports: OmniReport[] } | undefined;
  private readonly byMsgKey = new Map<string, OmniReport[]>();
  /** reports in the order they were handed out; webhookCalls() shapes them on demand */
  private readonly webhookLog: OmniReport[] = [];
  /** earliest dueAt among pending reports, so an idle tick costs nothing */
  private nextDue = Number.POSITIVE_INFINITY;
  private readonly outbox: OmniReport[] = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  webhookUrl: string | undefined;
  /** webhook calls answered 2xx / that failed and were retried */
  webhookDelivered = 0;
  webhookFailures = 0;

  constructor(
    private readonly ctx: VendorContext,
    readonly webhook: WebhookPolicy,
    tickMs: number,
    webhookUrl?: string,
  ) {
    this.webhookUrl = webhookUrl;
    this.timer = setInterval(() => this.release(this.ctx.now()), tickMs);
    this.timer.unref();
  }

  /** Plan the reports of a message just accepted: its outcome is drawn now, from the seeded mix. */
  schedule(message: AcceptedMessage): void {
    const { knobs, random } = this.ctx;
    const roll = random.next();
    const outcome =
      roll < knobs.outcomes.delivered
        ? REPORT_CODES.SUCCESS
        : roll < knobs.outcomes.delivered + knobs.outcomes.failed
          ? REPORT_CODES.FAILED
          : REPORT_CODES.EXPIRED;
    const carrier = CARRIERS[random.int(0, CARRIERS.length - 1)] ?? CARRIERS[0];
    const { serviceType, msgType } = SERVICE[message.kind];
    const report =
      (reportType: string, code: { code: string; text: string }) =>
      (reportTimeMs: number): OmniReport => ({
        msgKey: message.msgKey,
        serviceType,
        msgType,
        sendTime: kstIso(message.acceptedAt),
        reportTime: kstIso(reportTimeMs),
        reportType,
        reportCode: code.code,
        reportText: code.text,
        carrier,
        ...(message.kind === 'INTL' ? { resCnt: message.parts } : {}),
        ...(message.ref !== undefined ? { ref: message.ref } : {}),
      });
    const delay = knobs.reportDelayMs;
    if (message.kind === 'INTL') {
      // Seed 004: the relay's acceptance is the ordinary report, then the DLR (delivery) follows.
      this.push(
        message.acceptedAt + Math.floor(delay / 2),
        report(REPORT_TYPE.ORDINARY, REPORT_CODES.SUCCESS),
      );
      this.push(message.acceptedAt + delay, report(REPORT_TYPE.DLR, outcome));
    } else {
      this.push(message.acceptedAt + delay, report(REPORT_TYPE.ORDINARY, outcome));
    }
  }

  private push(dueAt: number, build: PendingReport['build']): void {
    this.pending.push({ dueAt, seq: this.seq++, build });
    if (dueAt < this.nextDue) this.nextDue = dueAt;
  }

  /** Release every report due at `nowMs`, in due order, to the webhook or the polling queue. */
  release(nowMs: number, all = false): void {
    if (this.pending.length === 0 || (!all && nowMs < this.nextDue)) return;
    const due: PendingReport[] = [];
    const later: PendingReport[] = [];
    let nextDue = Number.POSITIVE_INFINITY;
    for (const p of this.pending) {
      if (all || p.dueAt <= nowMs) due.push(p);
      else {
        later.push(p);
        if (p.dueAt < nextDue) nextDue = p.dueAt;
      }
    }
    this.nextDue = nextDue;
    if (due.length === 0) return;
    this.pending = later;
    due.sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
    for (const p of due) {
      const report = p.build(all ? Math.max(nowMs, p.dueAt) : p.dueAt);
      const list = this.byMsgKey.get(report.msgKey) ?? [];
      list.push(report);
      this.byMsgKey.set(report.msgKey, list);
      if (this.webhookLog.length < WEBHOOK_LOG_MAX) this.webhookLog.push(report);
      if (this.webhookUrl !== undefined) this.outbox.push(report);
      else this.queue.push(report);
    }
    this.pump();
  }

  /** GET /v1/report/polling: the unacknowledged batch again, or the next one of at most 1,000. */
  poll(nowMs: number): { reportId: string; report: OmniReport[] | null } {
    this.release(nowMs);
    if (this.outstanding === undefined && this.queue.length > 0) {
      this.outstanding = {
        reportId: `${this.ctx.random.hex(24)}`,
        reports: this.queue.splice(0, POLLING_BATCH_MAX),
      };
    }
    if (this.outstanding === undefined) return { reportId: '', report: null };
    return { reportId: this.outstanding.reportId, report: this.outstanding.reports };
  }

  /** DELETE /v1/report/polling/{reportId}: true when it named the outstanding batch */
  acknowledge(reportId: string): boolean {
    if (this.outstanding === undefined || this.outstanding.reportId !== reportId) return false;
    this.ctx.counters.recordReportDelivered(this.outstanding.reports.length);
    this.outstanding = undefined;
    return true;
  }

  inquiry(msgKey: string): OmniReport[] {
    return this.byMsgKey.get(msgKey) ?? [];
  }

  webhookCalls(): OmniWebhookCall[] {
    return this.webhookLog.map(toWebhookCall);
  }

  /** reports waiting: not yet due, queued for polling (incl. the unacknowledged batch), or in the outbox */
  backlog(): { pending: number; polling: number; webhook: number } {
    return {
      pending: this.pending.length,
      polling: this.queue.length + (this.outstanding?.reports.length ?? 0),
      webhook: this.outbox.length + this.inFlight,
    };
  }

  /** resolves once no webhook POST is queued or in flight */
  whenWebhookIdle(): Promise<void> {
    if (this.outbox.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset(): void {
    this.pending = [];
    this.nextDue = Number.POSITIVE_INFINITY;
    this.queue.length = 0;
    this.outbox.length = 0;
    this.outstanding = undefined;
    this.byMsgKey.clear();
    this.webhookLog.length = 0;
    this.webhookDelivered = 0;
    this.webhookFailures = 0;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.outbox.length = 0;
    this.notifyIdle();
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.webhook.concurrency && this.outbox.length > 0) {
      const report = this.outbox.shift() as OmniReport;
      this.inFlight += 1;
      void this.deliver(report).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private notifyIdle(): void {
    if (this.outbox.length > 0 || this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * UNCONFIRMED retry policy: a non-2xx answer or a network error is retried with doubling backoff; after
   * the last attempt the report goes to the polling queue, so it is never lost.
   */
  private async deliver(report: OmniReport): Promise<void> {
    const call = toWebhookCall(report);
    let wait = this.webhook.backoffMs;
    for (let attempt = 1; attempt <= this.webhook.attempts && !this.closed; attempt += 1) {
      const url = this.webhookUrl;
      if (url === undefined) break;
      try {
        const res = await request(url, {
          method: 'POST',
          headers: call.headers,
          body: JSON.stringify(call.body),
          headersTimeout: 5000,
          bodyTimeout: 5000,
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) {
          this.webhookDelivered += 1;
          this.ctx.counters.recordReportDelivered();
          return;
        }
      } catch {
        // a receiver that is down is retried like one that answered 5xx
      }
      this.webhookFailures += 1;
      if (attempt < this.webhook.attempts) await new Promise((resolve) => setTimeout(resolve, wait));
      wait *= 2;
    }
    if (!this.closed) this.queue.push(report);
  }
}

/** One report per POST, JSON, no auth header: all UNCONFIRMED (the gitbook Webhook page was not reached). */
export function toWebhookCall(report: OmniReport): OmniWebhookCall {
  const { reportTime, ...rest } = report;
  return {
    headers: { 'content-type': 'application/json' },
    // [IB-js] WebhookRequestBody.ts: reportTime as yyyy-MM-dd'T'HH:mm:ss.SSS (no offset)
    body: { ...rest, reportTime: kstLocalMillis(Date.parse(reportTime)) },
  };
}
