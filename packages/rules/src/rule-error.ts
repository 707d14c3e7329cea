/** Stable, machine-readable codes for every rule violation. */
export type RuleErrorCode =
  | 'UNENCODABLE_CHARACTER'
  | 'CONTENT_TOO_LONG'
  | 'SUBJECT_TOO_LONG'
  | 'CONTENT_EMPTY'
  | 'SUBJECT_NOT_ALLOWED'
  | 'TOO_MANY_FILES'
  | 'FILES_NOT_ALLOWED'
  | 'INVALID_TYPE'
  | 'INVALID_FILE_COUNT'
  | 'TOO_MANY_PARTS'
  | 'INVALID_PHONE_NUMBER'
  | 'INVALID_COUNTRY_CODE';

export interface RuleErrorDetails {
  /** the limit that was exceeded, in the unit the rule counts (bytes, parts, files) */
  limit?: number;
  /** the size that was measured, in the same unit */
  actual?: number;
  /** for UNENCODABLE_CHARACTER: the character and its UTF-16 index in the text */
  character?: string;
  index?: number;
}

/** The one error class of @munja/rules: a stable `code`, the request `field` it concerns, a readable message. */
export class RuleError extends Error {
  override readonly name = 'RuleError';

  constructor(
    readonly code: RuleErrorCode,
    readonly field: string,
    message: string,
    readonly details: RuleErrorDetails = {},
  ) {
    super(message);
  }

  get limit(): number | undefined {
    return this.details.limit;
  }

  get actual(): number | undefined {
    return this.details.actual;
  }
}
