import type { SeededRandom } from '../seeded-random';
import type { SendPlan, SensType } from './send-request';
import {
  FILE_LIFETIME_MS,
  messageIdFrom,
  OPT_OUT_REGISTER_TYPE,
  requestIdFrom,
  reserveRequestIdFrom,
  RESULT_CANCELED,
  RESULT_EXPIRED,
  RESULT_FAILED,
  RESULT_SUCCESS,
  RESULT_UNSUBSCRIBED,
  RESULT_UNSUPPORTED_CHARACTER,
  TELCO_CODES,
} from './unconfirmed';

/** How a message ends at the fake, decided when it is accepted (from the knobs' outcome mix, seeded). */
export type SensOutcome =
  'DELIVERED' | 'FAILED' | 'EXPIRED' | 'UNSUBSCRIBED' | 'UNSUPPORTED_CHARACTER' | 'CANCELED';

export const RESULT_BY_OUTCOME = {
  DELIVERED: RESULT_SUCCESS,
  FAILED: RESULT_FAILED,
  EXPIRED: RESULT_EXPIRED,
  UNSUBSCRIBED: RESULT_UNSUBSCRIBED,
  UNSUPPORTED_CHARACTER: RESULT_UNSUPPORTED_CHARACTER,
  CANCELED: RESULT_CANCELED,
} as const;

export interface SensMessageRecord {
  readonly requestId: string;
  readonly messageId: string;
  readonly requestTime: number;
  readonly type: SensType;
  readonly contentType: 'COMM' | 'AD';
  readonly countryCode: string;
  readonly from: string;
  readonly to: string;
  readonly subject?: string;
  readonly content: string;
  readonly truncated: boolean;
  readonly files: readonly { fileId: string; name: string }[];
  outcome: SensOutcome;
  readonly telcoCode: string;
  /** when it leaves READY, and when it is COMPLETED */
  processingAt: number;
  completeAt: number;
}

export interface SensRequestRecord {
  readonly requestId: string;
  readonly requestTime: number;
  readonly messageIds: readonly string[];
  readonly reservation?: { reserveTime: string; reserveTimeZone: string; at: number };
  canceled: boolean;
}

export interface SensFileRecord {
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
  readonly createTime: number;
  readonly expireTime: number;
}

export interface OptOutRecord {
  readonly clientTelNo: string;
  readonly registerType: string;
  readonly registerTime: number;
}

export type MessageStatus = 'READY' | 'PROCESSING' | 'COMPLETED';

export interface AcceptOptions {
  now: number;
  reportDelayMs: number;
  outcomes: { delivered: number; failed: number };
}

/** The faked SENS account's state: requests, messages, files, reservations and the opt-out list. */
export class SensStore {
  readonly requests = new Map<string, SensRequestRecord>();
  readonly messages = new Map<string, SensMessageRecord>();
  readonly files = new Map<string, SensFileRecord>();
  readonly optOuts = new Map<string, OptOutRecord>();
  truncatedMessages = 0;

  constructor(private readonly random: SeededRandom) {}

  accept(
    plan: SendPlan,
    options: AcceptOptions,
  ): { request: SensRequestRecord; messages: SensMessageRecord[] } {
    const { now } = options;
    const requestId = (plan.reservation ? reserveRequestIdFrom : requestIdFrom)(now, this.random.hex(20));
    const start = plan.reservation?.at ?? now;
    const files = plan.fileIds.map((fileId) => ({ fileId, name: this.files.get(fileId)?.name ?? '' }));
    const messages = plan.recipients.map((r): SensMessageRecord => {
      const record: SensMessageRecord = {
        requestId,
        messageId: messageIdFrom(this.random.hex(32)),
        requestTime: now,
        type: plan.type,
        contentType: plan.contentType,
        countryCode: plan.countryCode,
        from: plan.from,
        to: r.to,
        ...(r.subject !== undefined ? { subject: r.subject } : {}),
        content: r.content,
        truncated: r.truncated,
        files,
        outcome: this.drawOutcome(options.outcomes),
        telcoCode: TELCO_CODES[this.random.int(0, TELCO_CODES.length - 1)]!,
        processingAt: start + Math.floor(options.reportDelayMs / 2),
        completeAt: start + options.reportDelayMs,
      };
      if (!r.carriable) record.outcome = 'UNSUPPORTED_CHARACTER';
      else if (plan.contentType === 'AD' && this.optOuts.has(r.to)) record.outcome = 'UNSUBSCRIBED';
      if (r.truncated) this.truncatedMessages += 1;
      this.messages.set(record.messageId, record);
      return record;
    });
    const request: SensRequestRecord = {
      requestId,
      requestTime: now,
      messageIds: messages.map((m) => m.messageId),
      ...(plan.reservation ? { reservation: plan.reservation } : {}),
      canceled: false,
    };
    this.requests.set(requestId, request);
    return { request, messages };
  }

  private drawOutcome(mix: { delivered: number; failed: number }): SensOutcome {
    const r = this.random.next();
    if (r < mix.delivered) return 'DELIVERED';
    if (r < mix.delivered + mix.failed) return 'FAILED';
    return 'EXPIRED';
  }

  statusOf(message: SensMessageRecord, now: number): MessageStatus {
    if (now >= message.completeAt) return 'COMPLETED';
    if (now >= message.processingAt) return 'PROCESSING';
    return 'READY';
  }

  /** Finish every message that has started (reservations still in the future keep waiting). */
  settle(now: number): number {
    let settled = 0;
    for (const m of this.messages.values()) {
      const request = this.requests.get(m.requestId);
      const started = !request?.reservation || request.reservation.at <= now;
      if (started && m.completeAt > now) {
        m.processingAt = Math.min(m.processingAt, now);
        m.completeAt = now;
        settled += 1;
      }
    }
    return settled;
  }

  /** READY until the reservation time, then DONE; CANCELED once cancelled. */
  reserveStatus(request: SensRequestRecord, now: number): 'READY' | 'DONE' | 'CANCELED' {
    if (request.canceled) return 'CANCELED';
    return request.reservation && now < request.reservation.at ? 'READY' : 'DONE';
  }

  cancelReservation(request: SensRequestRecord, now: number): void {
    request.canceled = true;
    for (const id of request.messageIds) {
      const m = this.messages.get(id);
      if (!m) continue;
      m.outcome = 'CANCELED';
      m.processingAt = now;
      m.completeAt = now;
    }
  }

  /** Same name and size as a live file: the vendor hands back the existing file [SENS-file]. */
  addFile(name: string, size: number, now: number, newId: () => string): SensFileRecord {
    for (const f of this.files.values())
      if (f.name === name && f.size === size && f.expireTime > now) return f;
    const file = { fileId: newId(), name, size, createTime: now, expireTime: now + FILE_LIFETIME_MS };
    this.files.set(file.fileId, file);
    return file;
  }

  fileAlive(fileId: string, now: number): boolean {
    const f = this.files.get(fileId);
    return f !== undefined && f.expireTime > now;
  }

  addOptOut(clientTelNo: string, now: number): OptOutRecord {
    const existing = this.optOuts.get(clientTelNo);
    if (existing) return existing;
    const record = { clientTelNo, registerType: OPT_OUT_REGISTER_TYPE, registerTime: now };
    this.optOuts.set(clientTelNo, record);
    return record;
  }

  clear(): void {
    this.requests.clear();
    this.messages.clear();
    this.files.clear();
    this.optOuts.clear();
    this.truncatedMessages = 0;
  }
}
