import type { ComplianceErrorCode } from '@munja/compliance';
import { SchedulingError } from '@munja/scheduling';
import { ApiError } from '../common/api-error';
import { complianceStatus } from '../common/domain-errors';

/** Codes of @munja/rules: malformed input (400), as the global error filter answers a RuleError. */
const RULE_CODES: ReadonlySet<string> = new Set([
  'UNENCODABLE_CHARACTER',
  'CONTENT_TOO_LONG',
  'SUBJECT_TOO_LONG',
  'CONTENT_EMPTY',
  'SUBJECT_NOT_ALLOWED',
  'TOO_MANY_FILES',
  'FILES_NOT_ALLOWED',
  'INVALID_TYPE',
  'INVALID_FILE_COUNT',
  'TOO_MANY_PARTS',
  'INVALID_PHONE_NUMBER',
  'INVALID_COUNTRY_CODE',
]);

/** The HTTP status of a refusal from the review (rules: 400; compliance: its own table). */
export function refusalStatus(code: string): number {
  return RULE_CODES.has(code) ? 400 : complianceStatus(code as ComplianceErrorCode);
}

export function refusal(rejection: { code: string; field: string; message: string }): ApiError {
  return new ApiError(refusalStatus(rejection.code), rejection.code, rejection.message, rejection.field);
}

/**
 * A reservation time refused by @munja/scheduling: a malformed time or zone is a 400; a well-formed time in the
 * past or beyond the horizon is a 422.
 */
export function schedulingRefusal(error: SchedulingError): ApiError {
  const status =
    error.code === 'RESERVE_TIME_IN_PAST' || error.code === 'RESERVE_TIME_BEYOND_HORIZON' ? 422 : 400;
  return new ApiError(status, error.code, error.message, error.field);
}
