import { ComplianceError } from './compliance-error';

/** SENS's two content types: COMM (general, 一般用) and AD (advertising, 広告用, 정보통신망법 제50조 applies). */
export type ContentType = 'COMM' | 'AD';

export const CONTENT_TYPES: readonly ContentType[] = ['COMM', 'AD'];

/** The request's content type; absent means COMM, as in the SENS API. */
export function parseContentType(input: unknown, field = 'contentType'): ContentType {
  if (input === undefined || input === null) return 'COMM';
  if (input === 'COMM' || input === 'AD') return input;
  throw new ComplianceError(
    'INVALID_CONTENT_TYPE',
    field,
    `contentType must be COMM or AD; got '${String(input)}'`,
  );
}
