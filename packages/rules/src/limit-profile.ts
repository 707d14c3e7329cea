/**
 * The size limits one vendor (or console) enforces for domestic messages, as data, so that a plugin can
 * bring its own. Byte limits count CP949/EUC-KR bytes (see countBytes).
 */
export interface LimitProfile {
  readonly id: string;
  readonly sms: { readonly contentBytes: number };
  readonly lms: { readonly subjectBytes: number; readonly contentBytes: number };
  readonly mms: {
    readonly subjectBytes: number;
    readonly contentBytes: number;
    readonly maxFiles: number;
    readonly maxFileBytes: number;
    /** accepted MIME types, e.g. image/jpeg */
    readonly mimeTypes: readonly string[];
    /** accepted file-name extensions, lower case, without the dot */
    readonly extensions: readonly string[];
    readonly maxFileNameLength: number;
    readonly maxWidth: number;
    readonly maxHeight: number;
  };
}

const SENS_MMS = {
  subjectBytes: 40,
  contentBytes: 2000,
  maxFiles: 3,
  maxFileBytes: 300 * 1024,
  mimeTypes: ['image/jpeg'],
  extensions: ['jpg', 'jpeg'],
  maxFileNameLength: 40,
  maxWidth: 1500,
  maxHeight: 1440,
} as const;

export const PROFILES = {
  /** Ncloud SENS API v2: SMS content 0–90 bytes, LMS/MMS subject 40 and content 2000 bytes. */
  SENS: {
    id: 'SENS',
    sms: { contentBytes: 90 },
    lms: { subjectBytes: 40, contentBytes: 2000 },
    mms: SENS_MMS,
  },
  /** The SENS console guide (seed 000) states 80 bytes for SMS; the API documents 90. */
  CONSOLE_80: {
    id: 'CONSOLE_80',
    sms: { contentBytes: 80 },
    lms: { subjectBytes: 40, contentBytes: 2000 },
    mms: SENS_MMS,
  },
} as const satisfies Record<string, LimitProfile>;
