import { countBytes } from './count-bytes';
import type { LimitProfile } from './limit-profile';
import { RuleError } from './rule-error';

export type DomesticType = 'SMS' | 'LMS' | 'MMS';
export const DOMESTIC_TYPES: readonly DomesticType[] = ['SMS', 'LMS', 'MMS'];

/** Why the type was chosen, as a stable code (for logs and API answers). */
export type DomesticTypeReason =
  /** no type given; no subject, no file and the content fits the SMS limit */
  | 'FITS_SMS'
  /** no type given; the content is over the SMS limit */
  | 'CONTENT_OVER_SMS_LIMIT'
  /** no type given; a subject needs LMS (SMS has none) */
  | 'HAS_SUBJECT'
  /** no type given; files need MMS */
  | 'HAS_FILES'
  /** the type was given and every limit of it holds */
  | 'REQUESTED'
  /** MMS was asked for without a file: it goes as LMS, as the SENS guide says */
  | 'MMS_WITHOUT_FILES';

export interface DomesticMessageInput {
  type?: DomesticType;
  subject?: string;
  content: string;
  /** number of attached files (MMS images) */
  fileCount?: number;
}

export interface DomesticTypeDecision {
  type: DomesticType;
  contentBytes: number;
  /** 0 when there is no subject */
  subjectBytes: number;
  reason: DomesticTypeReason;
}

export interface DomesticTypeOptions {
  /** prefixed to the field names in errors, e.g. 'messages[3].' gives 'messages[3].content' */
  fieldPrefix?: string;
}

/**
 * Chooses (or, when one is given, checks) the domestic message type under a vendor's limit profile.
 *
 * No type: MMS when files are attached, else LMS when there is a subject or the content is over the SMS
 * limit, else SMS. A given type is checked, not silently changed — except MMS without files, which goes as
 * LMS. Any limit exceeded throws RuleError (code, field, limit and actual size in bytes or files); text that
 * CP949 cannot carry throws UNENCODABLE_CHARACTER.
 */
export function resolveDomesticType(
  input: DomesticMessageInput,
  profile: LimitProfile,
  options: DomesticTypeOptions = {},
): DomesticTypeDecision {
  const prefix = options.fieldPrefix ?? '';
  const field = {
    type: `${prefix}type`,
    subject: `${prefix}subject`,
    content: `${prefix}content`,
    files: `${prefix}files`,
  };

  if (input.type !== undefined && !DOMESTIC_TYPES.includes(input.type)) {
    throw new RuleError(
      'INVALID_TYPE',
      field.type,
      `${field.type} must be one of ${DOMESTIC_TYPES.join(', ')}, got ${JSON.stringify(input.type)}`,
    );
  }
  const fileCount = input.fileCount ?? 0;
  if (!Number.isInteger(fileCount) || fileCount < 0) {
    throw new RuleError(
      'INVALID_FILE_COUNT',
      field.files,
      `${field.files}: the file count must be a whole number ≥ 0, got ${fileCount}`,
    );
  }
  if (typeof input.content !== 'string' || input.content.length === 0) {
    throw new RuleError(
      'CONTENT_EMPTY',
      field.content,
      `${field.content} is empty: there is nothing to send`,
    );
  }
  const contentBytes = countBytes(input.content, field.content);
  const hasSubject = input.subject !== undefined && input.subject !== '';
  const subjectBytes = hasSubject ? countBytes(input.subject ?? '', field.subject) : 0;

  let type: DomesticType;
  let reason: DomesticTypeReason;
  if (input.type === undefined) {
    if (fileCount > 0) [type, reason] = ['MMS', 'HAS_FILES'];
    else if (hasSubject) [type, reason] = ['LMS', 'HAS_SUBJECT'];
    else if (contentBytes > profile.sms.contentBytes) [type, reason] = ['LMS', 'CONTENT_OVER_SMS_LIMIT'];
    else [type, reason] = ['SMS', 'FITS_SMS'];
  } else if (input.type === 'MMS' && fileCount === 0) {
    [type, reason] = ['LMS', 'MMS_WITHOUT_FILES'];
  } else {
    [type, reason] = [input.type, 'REQUESTED'];
  }

  if (type === 'SMS') {
    if (hasSubject) {
      throw new RuleError(
        'SUBJECT_NOT_ALLOWED',
        field.subject,
        `${field.subject}: an SMS has no subject; send it as LMS or leave the type out`,
      );
    }
    if (fileCount > 0) {
      throw new RuleError(
        'FILES_NOT_ALLOWED',
        field.files,
        `${field.files}: an SMS cannot carry files; use MMS`,
        {
          limit: 0,
          actual: fileCount,
        },
      );
    }
    checkBytes('CONTENT_TOO_LONG', field.content, 'SMS content', contentBytes, profile.sms.contentBytes);
  } else {
    const limits = type === 'LMS' ? profile.lms : profile.mms;
    if (type === 'LMS' && fileCount > 0) {
      throw new RuleError(
        'FILES_NOT_ALLOWED',
        field.files,
        `${field.files}: an LMS cannot carry files; use MMS`,
        {
          limit: 0,
          actual: fileCount,
        },
      );
    }
    if (type === 'MMS' && fileCount > profile.mms.maxFiles) {
      throw new RuleError(
        'TOO_MANY_FILES',
        field.files,
        `${field.files}: ${fileCount} files attached; ${profile.id} takes at most ${profile.mms.maxFiles} per MMS`,
        { limit: profile.mms.maxFiles, actual: fileCount },
      );
    }
    checkBytes('SUBJECT_TOO_LONG', field.subject, `${type} subject`, subjectBytes, limits.subjectBytes);
    checkBytes('CONTENT_TOO_LONG', field.content, `${type} content`, contentBytes, limits.contentBytes);
  }
  return { type, contentBytes, subjectBytes, reason };
}

function checkBytes(
  code: 'CONTENT_TOO_LONG' | 'SUBJECT_TOO_LONG',
  field: string,
  what: string,
  actual: number,
  limit: number,
): void {
  if (actual > limit) {
    throw new RuleError(code, field, `${field}: ${what} is ${actual} bytes (CP949); the limit is ${limit}`, {
      limit,
      actual,
    });
  }
}
