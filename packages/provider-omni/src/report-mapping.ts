import { PermanentError, type DeliveryReport, type DeliveryStatus } from '@munja/provider-kit';
import { PLUGIN_ID } from './config';
import {
  EXPIRED_REPORT_CODES,
  OFFSETLESS_TIME_ZONE_OFFSET,
  RELAY_ACCEPTANCE_REPORT_TYPE,
  REPORT_PARTS_FIELDS,
  REPORT_SUCCESS_CODE,
} from './unconfirmed';

const OFFSETLESS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$/;

/** An OMNI time: ISO 8601 with an offset, or the webhook's offset-less form (Korean time, UNCONFIRMED). */
export function parseOmniTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const iso = OFFSETLESS.test(value) ? `${value}${OFFSETLESS_TIME_ZONE_OFFSET}` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function isInternational(report: Record<string, unknown>): boolean {
  return report.serviceType === 'INTERNATIONAL' || report.msgType === 'IM';
}

/**
 * The canonical status of one OMNI report. An international message gets two: the relay's acceptance
 * (SENT, or FAILED if the relay refused it) and then the DLR; a domestic message gets one final report.
 */
export function statusOf(report: Record<string, unknown>): DeliveryStatus {
  const code = String(report.reportCode);
  const success = code === REPORT_SUCCESS_CODE;
  if (isInternational(report) && String(report.reportType ?? '') === RELAY_ACCEPTANCE_REPORT_TYPE)
    return success ? 'SENT' : 'FAILED';
  if (success) return 'DELIVERED';
  return EXPIRED_REPORT_CODES.has(code) ? 'EXPIRED' : 'FAILED';
}

function partsOf(report: Record<string, unknown>): number | undefined {
  for (const field of REPORT_PARTS_FIELDS) {
    const value = report[field];
    if (value === undefined || value === null || value === '') continue;
    const parts = Number(value);
    if (Number.isInteger(parts) && parts > 0) return parts;
  }
  return undefined;
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Map one OMNI report (polling, inquiry or webhook: the same object) to a canonical delivery report. */
export function mapOmniReport(raw: unknown, receivedAt: Date): DeliveryReport {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new PermanentError('INVALID_REPORT', 'OMNI report: not an object');
  const report = raw as Record<string, unknown>;
  const msgKey = optionalString(report.msgKey);
  const reportCode = optionalString(report.reportCode);
  if (msgKey === undefined) throw new PermanentError('INVALID_REPORT', 'OMNI report: msgKey missing');
  if (reportCode === undefined) throw new PermanentError('INVALID_REPORT', 'OMNI report: reportCode missing');
  const status = statusOf(report);
  const reportTime = parseOmniTime(report.reportTime);
  return {
    pluginId: PLUGIN_ID,
    ref: optionalString(report.ref),
    vendorMessageId: msgKey,
    status,
    vendorCode: reportCode,
    vendorMessage: optionalString(report.reportText),
    telco: optionalString(report.carrier),
    sentAt: parseOmniTime(report.sendTime),
    completedAt: status === 'SENT' ? undefined : reportTime,
    reportedAt: reportTime ?? receivedAt,
    parts: partsOf(report),
    raw,
  };
}
