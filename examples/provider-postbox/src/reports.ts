import { PermanentError, type DeliveryReport } from '@munja/provider-kit';
import { PLUGIN_ID } from './config';
import type { PostboxReport } from './postbox-api';

function isPostboxReport(value: unknown): value is PostboxReport {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.ref === 'string' &&
    (r.status === 'delivered' || r.status === 'failed') &&
    typeof r.code === 'string' &&
    typeof r.at === 'string' &&
    !Number.isNaN(Date.parse(r.at))
  );
}

/** A Postbox report in the canonical shape: the service never sees a vendor's own status words. */
export function toDeliveryReport(report: PostboxReport): DeliveryReport {
  const at = new Date(report.at);
  return {
    pluginId: PLUGIN_ID,
    ref: report.ref,
    vendorMessageId: report.id,
    status: report.status === 'delivered' ? 'DELIVERED' : 'FAILED',
    vendorCode: report.code,
    completedAt: at,
    reportedAt: at,
    raw: report,
  };
}

/** Reads `{ reports: [...] }`, the body of both a poll answer and a webhook call; anything else is permanent. */
export function readReports(body: unknown): DeliveryReport[] {
  const reports = (body as { reports?: unknown } | null)?.reports;
  if (!Array.isArray(reports) || !reports.every(isPostboxReport))
    throw new PermanentError('BAD_REPORT', 'Postbox: not a { reports: [...] } body');
  return reports.map(toDeliveryReport);
}
