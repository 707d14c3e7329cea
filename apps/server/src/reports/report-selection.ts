import { isFinalDeliveryStatus, type DeliveryReport } from '@munja/provider-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our message id from a report's `ref`, when it is one (a vendor may echo anything back). */
export function messageIdOfRef(ref: string | undefined): string | null {
  return ref !== undefined && UUID.test(ref) ? ref.toLowerCase() : null;
}

/**
 * Of several reports for one message in a batch, the one that decides it: the first final report wins (a
 * later contradicting or duplicate final is kept for audit but moves nothing), else the latest intermediate.
 * Keyed by plugin and vendor id.
 */
export function decisiveReports(reports: readonly DeliveryReport[]): DeliveryReport[] {
  const chosen = new Map<string, DeliveryReport>();
  for (const report of reports) {
    const key = `${report.pluginId}\u0000${report.vendorMessageId}`;
    const current = chosen.get(key);
    if (!current) chosen.set(key, report);
    else if (!isFinalDeliveryStatus(current.status)) chosen.set(key, report);
  }
  return [...chosen.values()];
}
