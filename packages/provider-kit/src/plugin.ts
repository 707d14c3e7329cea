import { SENDER_POLICIES, type LimitProfile, type SenderPolicyTable } from '@munja/rules';
import type { Channel } from './channel';
import type { DeliveryReport } from './delivery-report';
import type { OutboundMessage } from './outbound-message';
import type { SendOutcome } from './send-outcome';

/** The logging a plugin may do: a pino-compatible subset. Never pass secrets or message bodies. */
export interface PluginLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PluginContext {
  readonly logger: PluginLogger;
  /** the clock; a parameter so tests and the server decide what time it is */
  now(): Date;
}

export interface UploadableFile {
  readonly name: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export interface UploadedFile {
  readonly fileId: string;
  readonly expiresAt?: Date;
}

/** A message the vendor took and that still waits for its final report (for vendors polled per message). */
export interface PendingMessage {
  readonly ref: string;
  readonly vendorMessageId: string;
  readonly vendorRequestId?: string;
  readonly sentAt: Date;
}

export interface PollRequest {
  /** for vendors queried per message (SENS): which messages to ask about */
  readonly pending?: readonly PendingMessage[];
  /** most reports wanted in this call */
  readonly limit?: number;
}

export interface PollResult {
  readonly reports: readonly DeliveryReport[];
  /**
   * Tell the vendor these reports are stored (OMNI's DELETE …/{reportId}); call it only after they are
   * durably recorded, so a crash in between redelivers rather than loses them.
   */
  acknowledge(): Promise<void>;
  /** true when the vendor has more reports waiting right now */
  readonly more: boolean;
  /**
   * true when these reports only answer the `pending` messages asked about (SENS's per-message lookups) and
   * the vendor keeps nothing to hand out again: the caller may then ask about the next pending messages while
   * it is still storing these. Leave it unset for a queue (OMNI) whose next poll could repeat reports not yet
   * acknowledged.
   */
  readonly answersPendingOnly?: boolean;
}

/** An incoming vendor webhook call, as the server received it. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly rawBody?: Buffer;
}

export interface ProviderHealth {
  readonly ok: boolean;
  readonly detail?: string;
}

/** What a plugin's `create` returns: one configured connection to one vendor account. */
export interface Provider {
  readonly pluginId: string;
  /**
   * Send messages. The plugin splits them into vendor calls at its `maxRecipientsPerCall`; the caller may
   * pass more. Returns one outcome per message. Throws a ProviderError when a whole call fails
   * (auth, rate limit, network) and nothing of the call was taken.
   */
  send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]>;
  uploadFile?(file: UploadableFile): Promise<UploadedFile>;
  pollReports?(request: PollRequest): Promise<PollResult>;
  /** Map a vendor webhook call to canonical reports; throws PermanentError on a payload it cannot read. */
  parseWebhook?(request: WebhookRequest): DeliveryReport[];
  health?(): Promise<ProviderHealth>;
  /** release connections (undici pools); the provider is unusable afterwards */
  close?(): Promise<void>;
}

/** A plugin package's default export. */
export interface PluginDefinition<Config = unknown> {
  readonly id: string;
  readonly displayName: string;
  readonly channels: readonly Channel[];
  readonly limitProfile: LimitProfile;
  /** the most recipients the vendor takes in one call (SENS: 100) */
  readonly maxRecipientsPerCall: number;
  /**
   * For a plugin that carries INTL: what the recipient sees as the sender, and how texts must be signed, per
   * country on this vendor's route (SENS: random numbers and 【Verify】 inserted for China; OMNI: the sender's
   * own registered signature first for China). The server reviews each message against the policy of the
   * plugin it is routed to, so a dry run shows the exact text that goes. Optional: without it the platform
   * assumes nothing about the vendor — every country accepted, the `from` number as entered, the text exactly
   * as written (SENDER_POLICIES.AS_WRITTEN; see senderPoliciesOf).
   */
  readonly senderPolicies?: SenderPolicyTable;
  /**
   * Whether `pollReports` reads a pending message's `vendorRequestId` (default true). The service keeps the
   * request id of each sent message until its final report only for a plugin that does: it is a column of every
   * row awaiting a report (SENS's are 43 characters). False for a vendor asked about a message by its own id
   * (SENS), or one that is never polled per message: `pending` then comes without it.
   */
  readonly pollsWithVendorRequestId?: boolean;
  /** Check raw configuration; returns it typed or throws PluginConfigError naming the field. */
  validateConfig(raw: unknown): Config;
  create(config: Config, context: PluginContext): Provider;
}

/** Identity helper that gives a plugin definition its types. */
export function definePlugin<Config>(definition: PluginDefinition<Config>): PluginDefinition<Config> {
  return definition;
}

/** The international sender policy a plugin declares, or the as-written default when it declares none. */
export function senderPoliciesOf(definition: Pick<PluginDefinition, 'senderPolicies'>): SenderPolicyTable {
  return definition.senderPolicies ?? SENDER_POLICIES.AS_WRITTEN;
}

/** True when a loaded module's export looks like a plugin definition (for loading by package name). */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    Array.isArray(v.channels) &&
    typeof v.validateConfig === 'function' &&
    typeof v.create === 'function' &&
    typeof v.maxRecipientsPerCall === 'number'
  );
}
