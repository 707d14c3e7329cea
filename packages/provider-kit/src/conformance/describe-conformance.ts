import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CHANNELS, type Channel } from '../channel';
import { isFinalDeliveryStatus, type DeliveryReport, type DeliveryStatus } from '../delivery-report';
import type { OutboundMessage } from '../outbound-message';
import {
  senderPoliciesOf,
  type PendingMessage,
  type PluginContext,
  type Provider,
  type UploadableFile,
} from '../plugin';
import { PluginConfigError, ProviderError, type ProviderErrorKind } from '../provider-error';
import type { AcceptedOutcome, SendOutcome } from '../send-outcome';
import { senderPolicyProblems } from '../sender-policy-check';
import type { ConformanceHarness } from './harness';

const silentContext: PluginContext = {
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  now: () => new Date(),
};

/** A send either returns outcomes or throws a ProviderError; anything else fails the check. */
type Attempt =
  { outcomes: SendOutcome[]; error?: undefined } | { outcomes?: undefined; error: ProviderError };

async function attempt(provider: Provider, messages: readonly OutboundMessage[]): Promise<Attempt> {
  try {
    return { outcomes: await provider.send(messages) };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { error };
  }
}

/**
 * True when the whole attempt failed in the given way: either the call threw that kind, or every message
 * came back rejected with the matching `retryable` flag (and, for rate limits, a retry-after hint).
 */
function failedWholly(result: Attempt, kind: ProviderErrorKind): boolean {
  if (result.error) return result.error.kind === kind;
  const retryable = kind === 'RATE_LIMITED' || kind === 'TRANSIENT';
  return result.outcomes.every(
    (o) =>
      !o.accepted &&
      o.retryable === retryable &&
      (kind !== 'RATE_LIMITED' || (o.retryAfterMs !== undefined && o.retryAfterMs > 0)),
  );
}

function acceptedAll(
  messages: readonly OutboundMessage[],
  outcomes: readonly SendOutcome[],
): AcceptedOutcome[] {
  expect(outcomes).toHaveLength(messages.length);
  const byRef = new Map(outcomes.map((o) => [o.ref, o]));
  expect(byRef.size).toBe(messages.length);
  const accepted: AcceptedOutcome[] = [];
  for (const m of messages) {
    const o = byRef.get(m.ref);
    expect(o).toMatchObject({ ref: m.ref, accepted: true });
    if (o?.accepted) {
      expect(typeof o.vendorMessageId).toBe('string');
      expect(o.vendorMessageId.length).toBeGreaterThan(0);
      accepted.push(o);
    }
  }
  expect(new Set(accepted.map((o) => o.vendorMessageId)).size).toBe(accepted.length);
  return accepted;
}

async function expectReceivedOnce(
  harness: ConformanceHarness,
  messages: readonly OutboundMessage[],
  times = 1,
): Promise<void> {
  const counts = await Promise.all(messages.map((m) => harness.vendor.received(m)));
  expect(counts).toEqual(messages.map(() => times));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until every accepted message has a final report; acknowledges each batch as the server would. */
async function pollFinal(
  provider: Provider,
  accepted: readonly AcceptedOutcome[],
  now: Date,
): Promise<Map<string, DeliveryReport>> {
  const finals = new Map<string, DeliveryReport>();
  const wanted = new Set(accepted.map((o) => o.vendorMessageId));
  for (let round = 0; round < 100 && finals.size < wanted.size; round += 1) {
    const pending: PendingMessage[] = accepted
      .filter((o) => !finals.has(o.vendorMessageId))
      .map((o) => ({
        ref: o.ref,
        vendorMessageId: o.vendorMessageId,
        vendorRequestId: o.vendorRequestId,
        sentAt: now,
      }));
    const result = await provider.pollReports!({ pending, limit: 1000 });
    for (const report of result.reports) {
      if (wanted.has(report.vendorMessageId) && isFinalDeliveryStatus(report.status))
        finals.set(report.vendorMessageId, report);
    }
    await result.acknowledge();
    if (!result.more && finals.size < wanted.size) await sleep(50);
  }
  return finals;
}

function expectReportsMapped(
  harness: ConformanceHarness,
  accepted: readonly AcceptedOutcome[],
  finals: ReadonlyMap<string, DeliveryReport>,
  status: DeliveryStatus,
): void {
  expect(finals.size).toBe(accepted.length);
  for (const o of accepted) {
    const report = finals.get(o.vendorMessageId);
    expect(report).toBeDefined();
    if (!report) continue;
    expect(report.pluginId).toBe(harness.plugin.id);
    expect(report.status).toBe(status);
    if (report.ref !== undefined) expect(report.ref).toBe(o.ref);
    expect(report.reportedAt).toBeInstanceOf(Date);
    expect(Number.isNaN(report.reportedAt.getTime())).toBe(false);
    expect(report.raw).toBeDefined();
    if (status === 'FAILED') {
      expect(typeof report.vendorCode).toBe('string');
      expect(report.vendorCode).not.toBe('');
    }
  }
}

/**
 * The head of a 1×1 JPEG (SOI, JFIF, quantisation table, 1×1 frame): enough for magic-byte and size checks
 * (image-size reads it as 1×1 jpg), not a decodable picture. Small enough for every vendor's MMS limits.
 */
export const TINY_JPEG: Buffer = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////' +
    '////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/**
 * The provider-kit conformance suite: call it at the top level of a plugin's jest test with a harness wired
 * to a running vendor fake. It checks the contract every plugin must keep: config validation, sending,
 * batching at the vendor's limit, auth failure and recovery, rate limiting, retryable vs permanent
 * classification, exactly-once under faults, and report mapping by polling and/or webhook.
 */
export function describeConformance<Config>(harness: ConformanceHarness<Config>): void {
  const { plugin, vendor } = harness;
  const timeout = harness.timeoutMs ?? 30_000;
  const context = harness.context ?? silentContext;
  const open: Provider[] = [];

  const newProvider = (): Provider => {
    const provider = plugin.create(plugin.validateConfig(harness.validConfig()), context);
    open.push(provider);
    return provider;
  };

  describe(`provider conformance: ${plugin.id}`, () => {
    beforeEach(async () => {
      await vendor.reset();
    });

    afterEach(async () => {
      await Promise.all(open.splice(0).map((p) => p.close?.()));
      await vendor.reset();
    });

    describe('definition and config', () => {
      it('declares its channels, limit profile and recipients per call', () => {
        expect(plugin.id).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(plugin.channels.length).toBeGreaterThan(0);
        for (const c of plugin.channels) expect(CHANNELS).toContain(c);
        expect(Number.isInteger(plugin.maxRecipientsPerCall)).toBe(true);
        expect(plugin.maxRecipientsPerCall).toBeGreaterThanOrEqual(1);
        expect(plugin.limitProfile.sms.contentBytes).toBeGreaterThan(0);
      });

      it('declares a well-formed international sender policy, or none (then the as-written default)', () => {
        expect(senderPolicyProblems(senderPoliciesOf(plugin))).toEqual([]);
      });

      it('accepts the valid config', () => {
        expect(() => plugin.validateConfig(harness.validConfig())).not.toThrow();
      });

      it.each(harness.invalidConfigs.map((c) => [c.name, c] as const))(
        'refuses config: %s, naming the field and no secret',
        (_name, c) => {
          let thrown: unknown;
          try {
            plugin.validateConfig(c.config);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(PluginConfigError);
          const error = thrown as PluginConfigError;
          expect(error.pluginId).toBe(plugin.id);
          expect(error.field).toBe(c.field);
          for (const secret of harness.secrets ?? []) expect(error.message).not.toContain(secret);
        },
      );
    });

    describe('sending', () => {
      const textChannels = plugin.channels.filter((c): c is Exclude<Channel, 'MMS'> => c !== 'MMS');
      it.each(textChannels.map((c) => [c] as const))(
        'sends %s messages: one accepted outcome per ref, each received once',
        async (channel) => {
          const provider = newProvider();
          const messages = harness.messages(3, channel);
          const outcomes = await provider.send(messages);
          acceptedAll(messages, outcomes);
          await expectReceivedOnce(harness, messages);
        },
        timeout,
      );

      if (plugin.channels.includes('MMS')) {
        it(
          'uploads a JPEG and sends MMS with its file id',
          async () => {
            const provider = newProvider();
            expect(typeof provider.uploadFile).toBe('function');
            const file: UploadableFile = {
              name: 'conformance.jpg',
              contentType: 'image/jpeg',
              data: TINY_JPEG,
            };
            const uploaded = await provider.uploadFile!(file);
            expect(uploaded.fileId.length).toBeGreaterThan(0);
            const messages = harness.messages(2, 'MMS').map((m) => ({ ...m, fileIds: [uploaded.fileId] }));
            acceptedAll(messages, await provider.send(messages));
            await expectReceivedOnce(harness, messages);
          },
          timeout,
        );
      }

      it(
        'returns an empty outcome list for an empty batch without calling the vendor',
        async () => {
          const provider = newProvider();
          expect(await provider.send([])).toEqual([]);
          expect(await vendor.sendCalls()).toBe(0);
        },
        timeout,
      );

      // 2·max and 2·max + 1 tell a call of max − 1 or max + 1 recipients from one of exactly max
      const max = plugin.maxRecipientsPerCall;
      const batchSizes = [
        ...new Set([max * 2, max * 2 + 1, harness.batchRecipients ?? Math.ceil(max * 2.5)]),
      ];
      it.each(batchSizes.map((n) => [n, Math.ceil(n / max)] as const))(
        `batches at the vendor's limit of ${max} recipients per call: %i recipients in %i calls`,
        async (n, expectedCalls) => {
          const provider = newProvider();
          const messages = harness.messages(n);
          const before = await vendor.sendCalls();
          acceptedAll(messages, await provider.send(messages));
          expect((await vendor.sendCalls()) - before).toBe(expectedCalls);
          await expectReceivedOnce(harness, messages);
        },
        timeout,
      );
    });

    describe('failures', () => {
      it(
        'authentication failure: AUTHENTICATION, nothing taken; recovers when the credentials work again',
        async () => {
          const provider = newProvider();
          const warm = harness.messages(1);
          acceptedAll(warm, await provider.send(warm));
          await vendor.breakCredentials();
          const refused = harness.messages(2);
          const result = await attempt(provider, refused);
          expect(result.error?.kind).toBe('AUTHENTICATION');
          expect(result.error?.retryable).toBe(false);
          await expectReceivedOnce(harness, refused, 0);
          if (provider.health) expect((await provider.health()).ok).toBe(false);
          await vendor.restoreCredentials();
          acceptedAll(refused, await provider.send(refused));
          await expectReceivedOnce(harness, refused);
          if (provider.health) expect((await provider.health()).ok).toBe(true);
        },
        timeout,
      );

      it(
        'rate limit: RATE_LIMITED with a retry-after hint, nothing of that call taken; sends again after it',
        async () => {
          const provider = newProvider();
          await vendor.setRateLimit(1);
          let limited: { messages: OutboundMessage[]; result: Attempt } | undefined;
          for (let i = 0; i < 10 && !limited; i += 1) {
            const messages = harness.messages(1);
            const result = await attempt(provider, messages);
            if (result.error && result.error.kind !== 'RATE_LIMITED') throw result.error;
            if (failedWholly(result, 'RATE_LIMITED')) limited = { messages, result };
          }
          expect(limited).toBeDefined();
          if (!limited) return;
          const hint = limited.result.error
            ? limited.result.error.retryAfterMs
            : (limited.result.outcomes[0] as { retryAfterMs?: number }).retryAfterMs;
          expect(hint).toBeGreaterThan(0);
          expect(hint).toBeLessThanOrEqual(60_000);
          if (limited.result.error) expect(limited.result.error.retryable).toBe(true);
          await expectReceivedOnce(harness, limited.messages, 0);
          await sleep(hint ?? 0);
          acceptedAll(limited.messages, await provider.send(limited.messages));
          await expectReceivedOnce(harness, limited.messages);
        },
        timeout,
      );

      it(
        'transient vendor fault: TRANSIENT (retryable), nothing taken; recovers when the fault clears',
        async () => {
          const provider = newProvider();
          await vendor.injectTransientFaults(1);
          const messages = harness.messages(3);
          const result = await attempt(provider, messages);
          expect(failedWholly(result, 'TRANSIENT')).toBe(true);
          if (result.error) expect(result.error.retryable).toBe(true);
          await expectReceivedOnce(harness, messages, 0);
          await vendor.injectTransientFaults(0);
          acceptedAll(messages, await provider.send(messages));
          await expectReceivedOnce(harness, messages);
        },
        timeout,
      );

      it(
        'a network failure (vendor unreachable) is TRANSIENT',
        async () => {
          const config = harness.validConfig();
          const unreachable =
            typeof config === 'object' && config !== null && 'baseUrl' in config
              ? { ...config, baseUrl: 'http://127.0.0.1:9' }
              : undefined;
          if (!unreachable) return; // the plugin has no baseUrl field to point elsewhere
          const provider = plugin.create(plugin.validateConfig(unreachable), context);
          open.push(provider);
          const result = await attempt(provider, harness.messages(1));
          expect(failedWholly(result, 'TRANSIENT')).toBe(true);
        },
        timeout,
      );

      it(
        'a bad message alone is PERMANENT (not retryable)',
        async () => {
          const provider = newProvider();
          const bad = harness.badMessage();
          const result = await attempt(provider, [bad]);
          expect(failedWholly(result, 'PERMANENT')).toBe(true);
          if (result.error) expect(result.error.retryable).toBe(false);
          expect(await vendor.received(bad)).toBe(0);
        },
        timeout,
      );

      it(
        'a bad message among good ones: the good are accepted, the bad rejected as not retryable',
        async () => {
          const provider = newProvider();
          const good = harness.messages(3);
          const bad = harness.badMessage();
          const outcomes = await provider.send([good[0]!, bad, good[1]!, good[2]!]);
          expect(outcomes).toHaveLength(4);
          const badOutcome = outcomes.find((o) => o.ref === bad.ref);
          expect(badOutcome).toMatchObject({ accepted: false, retryable: false });
          acceptedAll(
            good,
            outcomes.filter((o) => o.ref !== bad.ref),
          );
          await expectReceivedOnce(harness, good);
          expect(await vendor.received(bad)).toBe(0);
        },
        timeout,
      );

      it(
        'exactly once: resending only what came back retryable under random faults delivers each message once',
        async () => {
          const provider = newProvider();
          await vendor.injectTransientFaults(0.3);
          const messages = harness.messages(Math.min(plugin.maxRecipientsPerCall * 2, 40));
          let pending = messages;
          for (let round = 0; round < 40 && pending.length > 0; round += 1) {
            const result = await attempt(provider, pending);
            if (result.error) {
              expect(result.error.retryable).toBe(true);
              continue;
            }
            const retry = new Set(
              result.outcomes.filter((o) => !o.accepted && o.retryable).map((o) => o.ref),
            );
            expect(result.outcomes.filter((o) => !o.accepted && !o.retryable)).toEqual([]);
            pending = pending.filter((m) => retry.has(m.ref));
          }
          expect(pending).toEqual([]);
          await vendor.injectTransientFaults(0);
          await expectReceivedOnce(harness, messages);
        },
        timeout,
      );
    });

    describe('delivery reports', () => {
      it('offers reports by polling or by webhook', () => {
        const provider = newProvider();
        expect(Boolean(provider.pollReports) || Boolean(provider.parseWebhook)).toBe(true);
      });

      const cases: Array<[DeliveryStatus, { delivered: number; failed: number }]> = [
        ['DELIVERED', { delivered: 1, failed: 0 }],
        ['FAILED', { delivered: 0, failed: 1 }],
      ];

      it.each(cases)(
        'by polling: the vendor outcome maps to %s',
        async (status, mix) => {
          const provider = newProvider();
          if (!provider.pollReports) return; // webhook-only plugin: covered below
          await vendor.setOutcomes(mix);
          const messages = harness.messages(5);
          const sentAt = context.now();
          const accepted = acceptedAll(messages, await provider.send(messages));
          await vendor.settleReports();
          const finals = await pollFinal(provider, accepted, sentAt);
          expectReportsMapped(harness, accepted, finals, status);
        },
        timeout,
      );

      it.each(cases)(
        'by webhook: the vendor outcome maps to %s',
        async (status, mix) => {
          const provider = newProvider();
          if (!provider.parseWebhook || !vendor.webhookRequests) return; // polling-only plugin
          await vendor.setOutcomes(mix);
          const messages = harness.messages(5);
          const accepted = acceptedAll(messages, await provider.send(messages));
          await vendor.settleReports();
          const wanted = new Set(accepted.map((o) => o.vendorMessageId));
          const finals = new Map<string, DeliveryReport>();
          for (const request of await vendor.webhookRequests()) {
            for (const report of provider.parseWebhook(request)) {
              if (wanted.has(report.vendorMessageId) && isFinalDeliveryStatus(report.status))
                finals.set(report.vendorMessageId, report);
            }
          }
          expectReportsMapped(harness, accepted, finals, status);
        },
        timeout,
      );

      it('a webhook payload it cannot read is a PermanentError', () => {
        const provider = newProvider();
        if (!provider.parseWebhook) return;
        let thrown: unknown;
        try {
          provider.parseWebhook({ headers: {}, body: 'not a report' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ProviderError);
        expect((thrown as ProviderError).kind).toBe('PERMANENT');
      });
    });

    describe('health', () => {
      it(
        'reports healthy against a working vendor',
        async () => {
          const provider = newProvider();
          if (!provider.health) return;
          expect((await provider.health()).ok).toBe(true);
        },
        timeout,
      );
    });
  });
}
