import type { Channel } from '../channel';
import type { OutboundMessage } from '../outbound-message';
import type { PluginContext, PluginDefinition, WebhookRequest } from '../plugin';

/** A config the plugin must refuse, and the field its PluginConfigError must name. */
export interface InvalidConfigCase {
  readonly name: string;
  readonly config: unknown;
  readonly field: string;
}

/** Final delivery outcomes the vendor fake should produce for the messages it takes from now on. */
export interface OutcomeMix {
  readonly delivered: number;
  readonly failed: number;
}

/**
 * Hooks into the running vendor fake. The suite never imports a simulator: each plugin's test wires these
 * to whatever fake it runs (in-process or over its control endpoint), so provider-kit stays free of it.
 * Every hook may be sync or async.
 */
export interface VendorFakeHooks {
  /** back to a clean state: counters zero, no faults, no rate limit, credentials restored, all delivered */
  reset(): void | Promise<void>;
  /** how many times the vendor accepted this message (its recipient, or its ref where the wire carries one) */
  received(message: OutboundMessage): number | Promise<number>;
  /** how many send calls (requests to the vendor's send endpoints) the vendor accepted since reset */
  sendCalls(): number | Promise<number>;
  /**
   * Make the vendor refuse the plugin's current credentials: rotate them at the fake, so the configured ones
   * (and any session or token issued with them) are no longer good.
   */
  breakCredentials(): void | Promise<void>;
  /** undo breakCredentials: the configured credentials work again */
  restoreCredentials(): void | Promise<void>;
  /** the vendor's rate limit in requests per second; 0 = none */
  setRateLimit(perSecond: number): void | Promise<void>;
  /** probability (0..1) that any vendor request fails with the vendor's transient fault (5xx / A999) */
  injectTransientFaults(rate: number): void | Promise<void>;
  /** the delivery outcome mix of messages the vendor takes from now on */
  setOutcomes(mix: OutcomeMix): void | Promise<void>;
  /** make every report of the messages taken so far final and available now (no waiting for delays) */
  settleReports(): void | Promise<void>;
  /**
   * Webhook vendors: the webhook calls the vendor would have made for the reports produced so far (the
   * suite feeds them to parseWebhook). Omit for vendors without webhooks.
   */
  webhookRequests?(): WebhookRequest[] | Promise<WebhookRequest[]>;
}

/** What a plugin's own conformance test hands to describeConformance. */
export interface ConformanceHarness<Config = unknown> {
  readonly plugin: PluginDefinition<Config>;
  /** a raw, valid config pointing at the running fake (a function: the fake's URL is known only once it runs) */
  validConfig(): unknown;
  /** configs the validator must refuse, each with the field it must name */
  readonly invalidConfigs: readonly InvalidConfigCase[];
  /** secret values of the valid config; they must never appear in a config error's message */
  readonly secrets?: readonly string[];
  /**
   * `n` valid messages on `channel` (default: the plugin's first channel) with the same sender and text, each
   * with a fresh ref and a fresh recipient (never reused across calls, so counters stay unambiguous).
   */
  messages(n: number, channel?: Channel): OutboundMessage[];
  /** one message the vendor refuses as a bad request (e.g. an unregistered calling number) */
  badMessage(): OutboundMessage;
  readonly vendor: VendorFakeHooks;
  /** the plugin context (default: a silent logger and the real clock) */
  readonly context?: PluginContext;
  /** recipients for the batching check (default: 2.5 × maxRecipientsPerCall, rounded up) */
  readonly batchRecipients?: number;
  /** per-test timeout in ms (default 30,000) */
  readonly timeoutMs?: number;
}
