/** Stable, machine-readable codes for every refusal this package can give. */
export type ComplianceErrorCode =
  // 080 opt-out service
  | 'COMPANY_NAME_EMPTY'
  | 'COMPANY_NAME_TOO_LONG'
  | 'OPT_OUT_SERVICE_ALREADY_ACTIVE'
  | 'OPT_OUT_SERVICE_TRANSITION_REFUSED'
  | 'INVALID_080_NUMBER'
  | 'INVALID_BLOCKED_NUMBER'
  | 'BLOCK_LIST_NOT_EDITABLE'
  // calling numbers
  | 'INVALID_CALLING_NUMBER'
  | 'INVALID_VERIFICATION_METHOD'
  | 'CALLING_NUMBER_LIMIT_REACHED'
  | 'CALLING_NUMBER_DUPLICATE'
  | 'CALLING_NUMBER_TRANSITION_REFUSED'
  | 'CALLING_NUMBER_NOT_REGISTERED'
  | 'CALLING_NUMBER_NOT_APPROVED'
  // advertising
  | 'AD_LABEL_MISSING'
  | 'AD_SENDER_NAME_MISSING'
  | 'AD_OPT_OUT_NOTICE_MISSING'
  | 'AD_SENDER_NAME_REQUIRED'
  | 'AD_OPT_OUT_SERVICE_REQUIRED'
  | 'AD_NIGHT_WINDOW'
  | 'AD_INTERNATIONAL_NOT_SUPPORTED'
  | 'BLOCKED'
  // international
  | 'UNSUPPORTED_COUNTRY'
  | 'SIGNATURE_REQUIRED'
  // request shape
  | 'INVALID_CONTENT_TYPE'
  | 'INVALID_SEND_TIME'
  | 'INVALID_RECIPIENT'
  | 'NO_RECIPIENTS';

/**
 * The one error class of @munja/compliance: a stable `code`, the request `field` it concerns and a readable
 * message. A rule error from @munja/rules met while reviewing is passed through as it is (same shape).
 */
export class ComplianceError extends Error {
  override readonly name = 'ComplianceError';

  constructor(
    readonly code: ComplianceErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
