// The conformance suite run against an in-memory vendor and a plugin written for it: proves the suite passes a
// plugin that keeps the contract (polling and webhook paths both), with no HTTP and no simulator. The real
// plugins run it over loopback in their own packages.
import { describe, expect, it } from '@jest/globals';
import type { DeliveryReport } from '../delivery-report';
import type { OutboundMessage } from '../outbound-message';
import { definePlugin, type Provider, type WebhookRequest } from '../plugin';
import {
  AuthenticationError,
  PermanentError,
  PluginConfigError,
  RateLimitedError,
  TransientError,
} from '../provider-error';
import type { SendOutcome } from '../send-outcome';
import { describeConformance, TINY_JPEG } from './index';

interface VendorMessage {
  id: string;
  ref: string;
  to: string;
  outcome: 'DELIVERED' | 'FAILED';
  settled: boolean;
}

/** A vendor in memory: credentials, a per-second rate limit, random faults, outcomes and webhooks. */
class MemoryVendor {
  apiKey = 'good-key';
  rateLimit = 0;
  faultRate = 0;
  mix = { delivered: 1, failed: 0 };
  calls = 0;
  private window = { start: 0, count: 0 };
  private seed = 7;
  readonly received = new Map<string, number>();
  readonly messages = new Map<string, VendorMessage>();
  readonly callingNumbers = new Set(['0215880000']);

  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }

  /** one vendor call: throws the vendor's status, or returns an id per message (undefined = refused) */
  call(key: string, messages: readonly OutboundMessage[]): Array<string | undefined> {
    if (key !== this.apiKey) throw new Error('401');
    const now = Date.now();
    if (now - this.window.start >= 1000) this.window = { start: now, count: 0 };
    this.window.count += 1;
    if (this.rateLimit > 0 && this.window.count > this.rateLimit) throw new Error('429');
    if (this.random() < this.faultRate) throw new Error('503');
    this.calls += 1;
    return messages.map((m) => {
      if (!this.callingNumbers.has(m.from)) return undefined;
      const id = `v-${this.messages.size + 1}`;
      const r = this.random();
      this.messages.set(id, {
        id,
        ref: m.ref,
        to: m.to,
        outcome: r < this.mix.delivered ? 'DELIVERED' : 'FAILED',
        settled: false,
      });
      this.received.set(m.to, (this.received.get(m.to) ?? 0) + 1);
      return id;
    });
  }

  reset(): void {
    Object.assign(this, { apiKey: 'good-key', rateLimit: 0, faultRate: 0, calls: 0 });
    this.mix = { delivered: 1, failed: 0 };
    this.received.clear();
    this.messages.clear();
  }
}

const vendor = new MemoryVendor();

function report(m: VendorMessage, raw: unknown): DeliveryReport {
  return {
    pluginId: 'memory',
    ref: m.ref,
    vendorMessageId: m.id,
    status: m.outcome,
    ...(m.outcome === 'FAILED' ? { vendorCode: 'E1', vendorMessage: 'unreachable' } : {}),
    reportedAt: new Date(),
    raw,
  };
}

const memoryPlugin = definePlugin<{ apiKey: string }>({
  id: 'memory',
  displayName: 'In-memory vendor',
  channels: ['SMS', 'LMS', 'MMS'],
  limitProfile: {
    id: 'MEMORY',
    sms: { contentBytes: 90 },
    lms: { subjectBytes: 40, contentBytes: 2000 },
    mms: {
      subjectBytes: 40,
      contentBytes: 2000,
      maxFiles: 3,
      maxFileBytes: 300 * 1024,
      mimeTypes: ['image/jpeg'],
      extensions: ['jpg'],
      maxFileNameLength: 40,
      maxWidth: 1500,
      maxHeight: 1440,
    },
  },
  maxRecipientsPerCall: 10,
  validateConfig(raw) {
    const apiKey = (raw as { apiKey?: unknown } | null)?.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '')
      throw new PluginConfigError('memory', 'apiKey', 'is required');
    return { apiKey };
  },
  create(config): Provider {
    const fail = (status: string): Error =>
      status === '401'
        ? new AuthenticationError(status, 'refused')
        : status === '429'
          ? new RateLimitedError(status, 'slow down', 1000)
          : new TransientError(status, 'vendor fault');
    return {
      pluginId: 'memory',
      async send(messages) {
        const outcomes: SendOutcome[] = [];
        const errors: Error[] = [];
        for (let i = 0; i < messages.length; i += 10) {
          const chunk = messages.slice(i, i + 10);
          try {
            vendor.call(config.apiKey, chunk).forEach((id, j) => {
              const ref = chunk[j]!.ref;
              outcomes.push(
                id
                  ? { ref, accepted: true, vendorMessageId: id }
                  : { ref, accepted: false, code: 'BAD_FROM', message: 'unregistered', retryable: false },
              );
            });
          } catch (error) {
            const e = fail((error as Error).message) as TransientError;
            errors.push(e);
            for (const m of chunk)
              outcomes.push({
                ref: m.ref,
                accepted: false,
                code: e.vendorCode,
                message: e.message,
                retryable: e.retryable,
                ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
              });
          }
        }
        // every call failed as a whole: say so by throwing, as the contract asks
        if (errors.length > 0 && errors.length === Math.ceil(messages.length / 10)) throw errors[0];
        return outcomes;
      },
      async uploadFile(file) {
        if (file.data[0] !== 0xff || file.data[1] !== 0xd8) throw new PermanentError('400', 'not a JPEG');
        return { fileId: `file-${file.name}` };
      },
      async pollReports(request) {
        const reports = (request.pending ?? []).flatMap((p) => {
          const m = vendor.messages.get(p.vendorMessageId);
          return m?.settled ? [report(m, { ...m })] : [];
        });
        return { reports, acknowledge: async () => {}, more: false };
      },
      parseWebhook(request: WebhookRequest) {
        if (!Array.isArray(request.body)) throw new PermanentError('BAD_WEBHOOK', 'not a report list');
        return (request.body as VendorMessage[]).map((m) => report(m, m));
      },
      async health() {
        return { ok: config.apiKey === vendor.apiKey };
      },
    };
  },
});

let serial = 0;
const message = (channel: OutboundMessage['channel'], from = '0215880000'): OutboundMessage => {
  serial += 1;
  return {
    ref: `mem-${serial}`,
    channel,
    contentType: 'COMM',
    from,
    to: `010${String(serial).padStart(8, '0')}`,
    countryCode: '82',
    content: 'hello',
  };
};

describeConformance({
  plugin: memoryPlugin,
  validConfig: () => ({ apiKey: 'good-key' }),
  invalidConfigs: [
    { name: 'apiKey missing', config: {}, field: 'apiKey' },
    { name: 'config null', config: null, field: 'apiKey' },
  ],
  secrets: ['good-key'],
  messages: (n, channel = 'SMS') => Array.from({ length: n }, () => message(channel)),
  badMessage: () => message('SMS', '0299999999'),
  vendor: {
    reset: () => vendor.reset(),
    received: (m) => vendor.received.get(m.to) ?? 0,
    sendCalls: () => vendor.calls,
    breakCredentials: () => {
      vendor.apiKey = 'rotated';
    },
    restoreCredentials: () => {
      vendor.apiKey = 'good-key';
    },
    setRateLimit: (perSecond) => {
      vendor.rateLimit = perSecond;
    },
    injectTransientFaults: (rate) => {
      vendor.faultRate = rate;
    },
    setOutcomes: (mix) => {
      vendor.mix = { ...mix };
    },
    settleReports: () => {
      for (const m of vendor.messages.values()) m.settled = true;
    },
    webhookRequests: () => [{ headers: {}, body: [...vendor.messages.values()].filter((m) => m.settled) }],
  },
  timeoutMs: 10_000,
});

describe('TINY_JPEG', () => {
  it('starts with the JPEG SOI marker', () => {
    expect([...TINY_JPEG.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });
});
