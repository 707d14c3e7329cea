import { ProviderError, rejectedByCall, type OutboundMessage, type SendOutcome } from '@munja/provider-kit';
import type { PostboxConfig } from './config';
import { callPostbox, type PostboxMessage, type PostboxResult } from './postbox-api';

/** Postbox takes at most this many messages in one call. */
export const MAX_PER_CALL = 10;

/** Per-message refusals the vendor may later accept; every other code is a bad message. */
const RETRYABLE_CODES = new Set<string>(['BUSY']);

async function sendCall(config: PostboxConfig, messages: readonly OutboundMessage[]): Promise<SendOutcome[]> {
  const wire: PostboxMessage[] = messages.map((m) => ({
    ref: m.ref,
    from: m.from,
    to: m.to,
    text: m.content,
  }));
  const { results } = await callPostbox<{ results: PostboxResult[] }>(config, 'POST', '/v1/messages', {
    messages: wire,
  });
  return results.map((r) =>
    'id' in r
      ? { ref: r.ref, accepted: true, vendorMessageId: r.id }
      : {
          ref: r.ref,
          accepted: false,
          code: r.error,
          message: `Postbox refused it: ${r.error}`,
          retryable: RETRYABLE_CODES.has(r.error),
        },
  );
}

/**
 * Sends in calls of at most MAX_PER_CALL, one after another (stopping at a rate limit, whose hint then holds
 * for the rest). A message the vendor cannot carry is refused here, without a call. When every call failed
 * the same whole-call way, that error is thrown (the contract: nothing was taken); otherwise each message gets
 * its outcome.
 */
export async function sendAll(
  config: PostboxConfig,
  messages: readonly OutboundMessage[],
): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  const sendable: OutboundMessage[] = [];
  for (const m of messages) {
    if (m.channel === 'SMS' && m.countryCode === '82' && /^\d+$/.test(m.to)) sendable.push(m);
    else
      outcomes.push({
        ref: m.ref,
        accepted: false,
        code: 'UNSUPPORTED',
        message: 'Postbox carries domestic SMS only',
        retryable: false,
      });
  }
  const failures: ProviderError[] = [];
  let stop: ProviderError | undefined;
  for (let start = 0; start < sendable.length; start += MAX_PER_CALL) {
    const call = sendable.slice(start, start + MAX_PER_CALL);
    if (stop) {
      outcomes.push(...call.map((m) => rejectedByCall(m.ref, stop!)));
      continue;
    }
    try {
      outcomes.push(...(await sendCall(config, call)));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      failures.push(error);
      if (error.kind === 'RATE_LIMITED' || error.kind === 'AUTHENTICATION') stop = error;
      outcomes.push(...call.map((m) => rejectedByCall(m.ref, error)));
    }
  }
  const first = failures[0];
  const wholeCallFailure =
    first !== undefined &&
    outcomes.length === sendable.length &&
    failures.every((f) => f.kind === first.kind);
  const noneTaken = outcomes.every((o) => !o.accepted);
  if (first && wholeCallFailure && noneTaken) throw first;
  return outcomes;
}
