import type { OutboundMessage, Provider, SendOutcome } from '@munja/provider-kit';
import { ProviderError } from '@munja/provider-kit';
import type { ClaimedMessage, RecordedStep } from '../lifecycle/message-queue';
import {
  failureOfError,
  failureOfOutcome,
  nextStepAfterFailure,
  type NextStep,
  type SendFailure,
} from './next-step';
import type { RetryPolicy } from './retry-policy';
import { MissingFileError, type VendorFiles } from './vendor-files';

/** What sending one plugin's share of a claim needs from the dispatcher. */
export interface PluginBatchContext {
  readonly pluginId: string;
  /** undefined when the route names a plugin this process did not load */
  readonly provider: Provider | undefined;
  readonly files: VendorFiles;
  readonly policy: RetryPolicy;
  /**
   * the plugin's `pollsWithVendorRequestId` (true unless it says false): only then is the vendor's request id
   * of a sent message kept (in its awaiting row, ~44 WAL bytes a message with SENS's ids)
   */
  readonly keepsVendorRequestId: boolean;
  now(): Date;
}

/** The result of one plugin batch, for the dispatcher's bookkeeping (health, throttle, counters). */
export interface PluginBatchResult {
  readonly steps: RecordedStep[];
  /** the vendor refused the credentials */
  readonly authenticationFailure?: string;
  /** the vendor asked to slow down for this long */
  readonly rateLimitedMs?: number;
  readonly accepted: number;
}

function outbound(message: ClaimedMessage, fileIds: readonly string[]): OutboundMessage {
  return {
    ref: message.id,
    channel: message.type,
    contentType: message.contentType,
    from: message.fromNumber,
    to: message.toNumber,
    countryCode: message.countryCode,
    ...(message.subject ? { subject: message.subject } : {}),
    content: message.content,
    ...(fileIds.length > 0 ? { fileIds } : {}),
    ...(message.parts ? { parts: message.parts } : {}),
  };
}

/**
 * Sends one plugin's messages of a claim in one `provider.send` (the plugin splits them at its
 * maxRecipientsPerCall) after uploading their files, and turns every outcome into the message's next step.
 */
export async function sendPluginBatch(
  ctx: PluginBatchContext,
  messages: readonly ClaimedMessage[],
): Promise<PluginBatchResult> {
  const steps: RecordedStep[] = [];
  const decide = (message: ClaimedMessage, failure: SendFailure): NextStep =>
    nextStepAfterFailure(message, failure, ctx.now(), ctx.policy);
  const push = (message: ClaimedMessage, step: NextStep) =>
    steps.push({ id: message.id, requestTime: message.requestTime, step, pluginId: ctx.pluginId });

  if (!ctx.provider) {
    const failure: SendFailure = {
      code: 'PLUGIN_NOT_LOADED',
      message: `plugin ${ctx.pluginId} is not loaded`,
      retryable: true,
      authentication: true,
    };
    for (const m of messages)
      push(
        m,
        m.routeIndex + 1 < m.route.length
          ? decide(m, failure)
          : { kind: 'FAILED', code: failure.code, message: failure.message },
      );
    return { steps, accepted: 0 };
  }
  const provider = ctx.provider;

  // Files first: a message whose image cannot be uploaded does not go, the others still do.
  const ready: { message: ClaimedMessage; fileIds: string[] }[] = [];
  let uploadError: ProviderError | undefined;
  await Promise.all(
    messages.map(async (message) => {
      if (message.fileIds.length === 0) {
        ready.push({ message, fileIds: [] });
        return;
      }
      try {
        ready.push({
          message,
          fileIds: await ctx.files.resolve(ctx.pluginId, provider, message.fileIds, ctx.now()),
        });
      } catch (error) {
        if (error instanceof MissingFileError) {
          push(message, { kind: 'FAILED', code: 'FILE_NOT_AVAILABLE', message: error.message });
          return;
        }
        if (error instanceof ProviderError) uploadError = error;
        push(message, decide(message, failureOfError(error)));
      }
    }),
  );
  let authenticationFailure = uploadError?.kind === 'AUTHENTICATION' ? uploadError.message : undefined;
  let rateLimitedMs = uploadError?.kind === 'RATE_LIMITED' ? (uploadError.retryAfterMs ?? 1000) : undefined;
  if (ready.length === 0) return { steps, accepted: 0, authenticationFailure, rateLimitedMs };

  let outcomes: SendOutcome[];
  try {
    outcomes = await provider.send(ready.map((r) => outbound(r.message, r.fileIds)));
  } catch (error) {
    const failure = failureOfError(error);
    if (failure.authentication) authenticationFailure = failure.message;
    if (failure.retryAfterMs !== undefined)
      rateLimitedMs = Math.max(rateLimitedMs ?? 0, failure.retryAfterMs);
    for (const { message } of ready) push(message, decide(message, failure));
    return { steps, accepted: 0, authenticationFailure, rateLimitedMs };
  }

  const byRef = new Map(outcomes.map((o) => [o.ref, o] as const));
  let accepted = 0;
  for (const { message } of ready) {
    const outcome = byRef.get(message.id);
    if (!outcome) {
      // The plugin broke its contract (one outcome per message); retried, counted, like a transient failure.
      push(
        message,
        decide(message, { code: 'NO_OUTCOME', message: 'the plugin returned no outcome', retryable: true }),
      );
      continue;
    }
    const failure = failureOfOutcome(outcome);
    if (!failure && outcome.accepted) {
      accepted += 1;
      push(message, {
        kind: 'SENT',
        vendorMessageId: outcome.vendorMessageId,
        ...(outcome.vendorRequestId && ctx.keepsVendorRequestId
          ? { vendorRequestId: outcome.vendorRequestId }
          : {}),
      });
      continue;
    }
    if (failure?.retryAfterMs !== undefined)
      rateLimitedMs = Math.max(rateLimitedMs ?? 0, failure.retryAfterMs);
    push(message, decide(message, failure as SendFailure));
  }
  return { steps, accepted, authenticationFailure, rateLimitedMs };
}
