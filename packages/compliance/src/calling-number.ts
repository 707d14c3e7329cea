import { normalizeKoreanNumber, RuleError } from '@munja/rules';
import { ComplianceError } from './compliance-error';

/**
 * Calling-number (caller-ID) pre-registration, as required by 전기통신사업법 제84조의2 and run by the SENS
 * console (seed 000): READY (waiting) → IN-PROGRESS (being checked) → APPROVED | REJECTED. Only an APPROVED
 * number may be the sender of a message.
 */
export type CallingNumberStatus = 'READY' | 'IN-PROGRESS' | 'APPROVED' | 'REJECTED';

/** SMS: self-verification on the member's own phone; DOCUMENT: a document check through a 1:1 inquiry. */
export type VerificationMethod = 'SMS' | 'DOCUMENT';

export const VERIFICATION_METHODS: readonly VerificationMethod[] = ['SMS', 'DOCUMENT'];

/** Plain, JSON-serializable data: the caller stores it in its own tables. Times are ISO-8601 strings. */
export interface CallingNumber {
  /** digits only, e.g. '0212345678' or '15881234' */
  readonly number: string;
  readonly method: VerificationMethod;
  readonly status: CallingNumberStatus;
  readonly requestedAt: string;
  readonly updatedAt: string;
  readonly rejectReason: string | null;
}

export type CallingNumberEvent =
  | { readonly type: 'START' }
  | { readonly type: 'APPROVE' }
  | { readonly type: 'REJECT'; readonly reason?: string };

/** The seed allows 10 numbers per member ID; more need the vendor's support, hence configurable. */
export const DEFAULT_MAX_CALLING_NUMBERS = 10;

export const CALLING_NUMBER_TRANSITIONS: Readonly<
  Record<CallingNumberStatus, Partial<Record<CallingNumberEvent['type'], CallingNumberStatus>>>
> = {
  READY: { START: 'IN-PROGRESS' },
  'IN-PROGRESS': { APPROVE: 'APPROVED', REJECT: 'REJECTED' },
  APPROVED: {},
  REJECTED: {},
};

/** A calling number as stored and compared: the digits @munja/rules normalizes it to. */
export function normalizeCallingNumber(input: string, field = 'number'): string {
  try {
    return normalizeKoreanNumber(String(input ?? ''));
  } catch (error) {
    if (error instanceof RuleError) {
      throw new ComplianceError('INVALID_CALLING_NUMBER', field, `'${input}' is not a Korean phone number`);
    }
    throw error;
  }
}

/** A REJECTED registration neither counts against the limit nor blocks registering the number again. */
function holdsASlot(number: CallingNumber): boolean {
  return number.status !== 'REJECTED';
}

/**
 * Request registration of a calling number. `existing` is every calling number the project has; the request is
 * refused when the number is already registered (not REJECTED) or when `maxPerProject` are already held.
 */
export function registerCallingNumber(
  input: { number: string; method: VerificationMethod },
  existing: readonly CallingNumber[],
  now: Date,
  options: { maxPerProject?: number } = {},
): CallingNumber {
  if (!VERIFICATION_METHODS.includes(input.method)) {
    throw new ComplianceError(
      'INVALID_VERIFICATION_METHOD',
      'method',
      `the verification method must be one of ${VERIFICATION_METHODS.join(', ')}; got '${String(input.method)}'`,
    );
  }
  const number = normalizeCallingNumber(input.number);
  const held = existing.filter(holdsASlot);
  if (held.some((n) => n.number === number)) {
    throw new ComplianceError('CALLING_NUMBER_DUPLICATE', 'number', `${number} is already registered`);
  }
  const max = options.maxPerProject ?? DEFAULT_MAX_CALLING_NUMBERS;
  if (held.length >= max) {
    throw new ComplianceError(
      'CALLING_NUMBER_LIMIT_REACHED',
      'number',
      `a project may register at most ${max} calling numbers; it has ${held.length}`,
    );
  }
  const at = now.toISOString();
  return {
    number,
    method: input.method,
    status: 'READY',
    requestedAt: at,
    updatedAt: at,
    rejectReason: null,
  };
}

/** Apply one event; a transition the table does not list is refused with CALLING_NUMBER_TRANSITION_REFUSED. */
export function transitionCallingNumber(
  number: CallingNumber,
  event: CallingNumberEvent,
  now: Date,
): CallingNumber {
  const to = CALLING_NUMBER_TRANSITIONS[number.status][event.type];
  if (!to) {
    throw new ComplianceError(
      'CALLING_NUMBER_TRANSITION_REFUSED',
      'status',
      `a calling number in ${number.status} cannot take ${event.type}`,
    );
  }
  return {
    ...number,
    status: to,
    updatedAt: now.toISOString(),
    rejectReason: event.type === 'REJECT' ? (event.reason ?? null) : number.rejectReason,
  };
}

/**
 * The sender check of a send request: `from` must be one of the project's calling numbers and APPROVED.
 * Returns the normalized number.
 */
export function assertApprovedSender(
  from: string,
  numbers: readonly CallingNumber[],
  field = 'from',
): string {
  const number = normalizeCallingNumber(from, field);
  const found = numbers.filter((n) => n.number === number);
  if (found.length === 0) {
    throw new ComplianceError(
      'CALLING_NUMBER_NOT_REGISTERED',
      field,
      `${number} is not a registered calling number`,
    );
  }
  if (!found.some((n) => n.status === 'APPROVED')) {
    throw new ComplianceError(
      'CALLING_NUMBER_NOT_APPROVED',
      field,
      `${number} is ${found.map((n) => n.status).join('/')}; only an APPROVED calling number may send`,
    );
  }
  return number;
}
