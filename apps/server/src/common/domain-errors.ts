import type { ComplianceErrorCode } from '@munja/compliance';

/**
 * The HTTP status of a refusal from @munja/compliance: 409 when the request clashes with the current state
 * (a transition the state machine refuses, a duplicate), 422 when a well-formed request breaks a limit or a
 * rule of the law, 400 for malformed input. Codes not listed are 422.
 */
const STATUS: Partial<Record<ComplianceErrorCode, number>> = {
  COMPANY_NAME_EMPTY: 400,
  COMPANY_NAME_TOO_LONG: 400,
  INVALID_080_NUMBER: 400,
  INVALID_BLOCKED_NUMBER: 400,
  INVALID_CALLING_NUMBER: 400,
  INVALID_VERIFICATION_METHOD: 400,
  INVALID_CONTENT_TYPE: 400,
  INVALID_SEND_TIME: 400,
  INVALID_RECIPIENT: 400,
  NO_RECIPIENTS: 400,
  OPT_OUT_SERVICE_ALREADY_ACTIVE: 409,
  OPT_OUT_SERVICE_TRANSITION_REFUSED: 409,
  CALLING_NUMBER_TRANSITION_REFUSED: 409,
  CALLING_NUMBER_DUPLICATE: 409,
  BLOCK_LIST_NOT_EDITABLE: 409,
  CALLING_NUMBER_LIMIT_REACHED: 422,
};

export function complianceStatus(code: ComplianceErrorCode): number {
  return STATUS[code] ?? 422;
}
