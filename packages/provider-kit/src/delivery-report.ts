/**
 * Canonical delivery status, whatever the vendor calls it:
 * SENT — the relay or carrier took the message (an intermediate report, e.g. OMNI's first international DLR);
 * DELIVERED — the handset got it; FAILED — it will never arrive; EXPIRED — the carrier gave up in time.
 */
export const DELIVERY_STATUSES = ['SENT', 'DELIVERED', 'FAILED', 'EXPIRED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** True for the statuses after which nothing may move the message again. */
export function isFinalDeliveryStatus(status: DeliveryStatus): boolean {
  return status !== 'SENT';
}

export interface DeliveryReport {
  /** the plugin that produced it */
  readonly pluginId: string;
  /** our message reference, when the vendor echoes it back (OMNI `ref`); else matched by vendorMessageId */
  readonly ref?: string;
  readonly vendorMessageId: string;
  readonly status: DeliveryStatus;
  /** the vendor's result code and text, as the vendor wrote them */
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  /** carrier / telco code or name, where the vendor reports it */
  readonly telco?: string;
  /** when the vendor sent it on, and when it reached its final state */
  readonly sentAt?: Date;
  readonly completedAt?: Date;
  /** when this report was produced (by the vendor if it says, else when we read it) */
  readonly reportedAt: Date;
  /** concatenated parts the vendor counted */
  readonly parts?: number;
  /** the vendor's payload as received, kept for audit */
  readonly raw: unknown;
}
