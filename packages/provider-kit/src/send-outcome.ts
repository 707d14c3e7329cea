import type { ProviderError } from './provider-error';

/** The vendor took the message: it now waits for a delivery report under the vendor's id. */
export interface AcceptedOutcome {
  readonly ref: string;
  readonly accepted: true;
  readonly vendorMessageId: string;
  /** the vendor's id for the whole call (SENS requestId), where it has one */
  readonly vendorRequestId?: string;
}

/** The vendor refused this one message (the others of the call may have gone). */
export interface RejectedOutcome {
  readonly ref: string;
  readonly accepted: false;
  /** the vendor's own result code, e.g. SENS HTTP status or OMNI A010 */
  readonly code: string;
  readonly message: string;
  /** true when the same message may succeed later (rate limit, 5xx, timeout); false for a bad message */
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

/** One per message of a `send` call, in no particular order; `ref` ties it to the message. */
export type SendOutcome = AcceptedOutcome | RejectedOutcome;

/**
 * The outcome of one message of a vendor call that failed as a whole: retryable unless the failure says the
 * message itself is bad (PERMANENT). Dead credentials, a rate limit or a vendor fault say nothing against the
 * message, and the service may send it later or through the route's next plugin.
 */
export function rejectedByCall(ref: string, error: ProviderError): RejectedOutcome {
  return {
    ref,
    accepted: false,
    code: error.vendorCode,
    message: error.message,
    retryable: error.kind !== 'PERMANENT',
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
}
