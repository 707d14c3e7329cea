import type { DeliveryReport, DeliveryStatus } from '@munja/provider-kit';
import { PLUGIN_ID } from './config';
import { PROCESSING_IS_SENT, VENDOR_TIME_OFFSET } from './unconfirmed';

/** One entry of `GET …/messages/{messageId}` → `messages[]`, as documented; every field may be absent. */
export interface SensMessageResult {
  requestId?: string;
  messageId?: string;
  requestTime?: string;
  contentType?: string;
  type?: string;
  subject?: string;
  content?: string;
  countryCode?: string;
  from?: string;
  to?: string;
  status?: string;
  statusCode?: string;
  statusName?: string;
  statusMessage?: string;
  completeTime?: string;
  telcoCode?: string;
  files?: Array<{ name?: string; fileId?: string }>;
}

/** `yyyy-MM-dd HH:mm:ss` (vendor zone) → Date; undefined when absent or unreadable. */
export function parseVendorTime(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?$/.exec(text);
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ''}${VENDOR_TIME_OFFSET}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The canonical status of a SENS result: COMPLETED + success → DELIVERED, COMPLETED + anything else → FAILED,
 * PROCESSING → SENT, READY (still queued at SENS) → none yet.
 */
export function canonicalStatus(result: SensMessageResult): DeliveryStatus | undefined {
  if (result.status === 'COMPLETED')
    return result.statusName === 'success' || (result.statusName === undefined && result.statusCode === '0')
      ? 'DELIVERED'
      : 'FAILED';
  if (result.status === 'PROCESSING' && PROCESSING_IS_SENT) return 'SENT';
  return undefined;
}

/** Map one result to a canonical report, or undefined while SENS has nothing to report yet. */
export function toDeliveryReport(
  result: SensMessageResult,
  known: { ref: string; vendorMessageId: string },
  now: Date,
): DeliveryReport | undefined {
  const status = canonicalStatus(result);
  if (!status) return undefined;
  const completedAt = status === 'SENT' ? undefined : parseVendorTime(result.completeTime);
  const sentAt = parseVendorTime(result.requestTime);
  return {
    pluginId: PLUGIN_ID,
    ref: known.ref,
    vendorMessageId: result.messageId ?? known.vendorMessageId,
    status,
    ...(result.statusCode !== undefined ? { vendorCode: result.statusCode } : {}),
    ...(result.statusMessage !== undefined ? { vendorMessage: result.statusMessage } : {}),
    ...(result.telcoCode ? { telco: result.telcoCode } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...(completedAt ? { completedAt } : {}),
    reportedAt: completedAt ?? now,
    raw: result,
  };
}
