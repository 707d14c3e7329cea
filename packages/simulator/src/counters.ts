/**
 * What a faked vendor received, so tests and benches can prove each message arrived exactly once:
 * every accepted message is counted under its recipient, and the client's own reference where the wire format
 * carries one (OMNI `ref`). (Not by the vendor message id: the fake makes each one new, so none repeats; that
 * map was never read and cost a third of the counting.)
 */
export interface CounterSnapshot {
  requests: number;
  /** requests answered with an error (auth, validation, injected fault, rate limit) */
  rejectedRequests: number;
  /** messages accepted (one per recipient) */
  messages: number;
  distinctRecipients: number;
  /** recipients / refs that were accepted more than once */
  duplicateRecipients: number;
  duplicateRefs: number;
  reportsDelivered: number;
}

export class Counters {
  requests = 0;
  rejectedRequests = 0;
  messages = 0;
  reportsDelivered = 0;
  readonly byRecipient = new Map<string, number>();
  readonly byRef = new Map<string, number>();

  recordRequest(): void {
    this.requests += 1;
  }

  recordRejected(): void {
    this.rejectedRequests += 1;
  }

  recordMessage(recipient: string, ref?: string): void {
    this.messages += 1;
    this.byRecipient.set(recipient, (this.byRecipient.get(recipient) ?? 0) + 1);
    if (ref !== undefined && ref !== '') this.byRef.set(ref, (this.byRef.get(ref) ?? 0) + 1);
  }

  recordReportDelivered(count = 1): void {
    this.reportsDelivered += count;
  }

  receivedFor(recipient: string): number {
    return this.byRecipient.get(recipient) ?? 0;
  }

  snapshot(): CounterSnapshot {
    let duplicateRecipients = 0;
    for (const n of this.byRecipient.values()) if (n > 1) duplicateRecipients += 1;
    let duplicateRefs = 0;
    for (const n of this.byRef.values()) if (n > 1) duplicateRefs += 1;
    return {
      requests: this.requests,
      rejectedRequests: this.rejectedRequests,
      messages: this.messages,
      distinctRecipients: this.byRecipient.size,
      duplicateRecipients,
      duplicateRefs,
      reportsDelivered: this.reportsDelivered,
    };
  }

  reset(): void {
    this.requests = 0;
    this.rejectedRequests = 0;
    this.messages = 0;
    this.reportsDelivered = 0;
    this.byRecipient.clear();
    this.byRef.clear();
  }
}
