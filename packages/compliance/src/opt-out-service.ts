import { ComplianceError } from './compliance-error';

/**
 * The 080 opt-out (block call) service of one project, as the SENS console runs it (seed 000):
 * PROCESSING (applied; may be canceled, nothing charged) → COMPLETE (080 number issued, charged, block list
 * active) → STOPPED (terminal; the block list is erased and a later subscription starts empty).
 * A cancel while PROCESSING ends in CANCELED (terminal, never charged).
 */
export type OptOutServiceStatus = 'PROCESSING' | 'COMPLETE' | 'STOPPED' | 'CANCELED';

/** Plain, JSON-serializable data: the caller stores it in its own tables. Times are ISO-8601 strings. */
export interface OptOutService {
  readonly status: OptOutServiceStatus;
  /** read out by the opt-out ARS; at most 20 characters */
  readonly companyName: string;
  /** digits only, e.g. '0801234567'; set once COMPLETE */
  readonly number080: string | null;
  /**
   * 1 for a project's first subscription, +1 for each new one. Block-list entries belong to one generation,
   * so a new subscription after STOPPED starts with an empty list even if old rows are not yet purged.
   */
  readonly generation: number;
  readonly appliedAt: string;
  readonly completedAt: string | null;
  readonly stoppedAt: string | null;
  readonly canceledAt: string | null;
}

export const COMPANY_NAME_MAX_LENGTH = 20;

/** Every transition the service allows, as data (for documentation and for the server's checks). */
export const OPT_OUT_TRANSITIONS: Readonly<Record<OptOutServiceStatus, readonly OptOutServiceStatus[]>> = {
  PROCESSING: ['COMPLETE', 'CANCELED'],
  COMPLETE: ['STOPPED'],
  STOPPED: [],
  CANCELED: [],
};

function iso(now: Date): string {
  if (Number.isNaN(now.getTime()))
    throw new ComplianceError('INVALID_SEND_TIME', 'now', 'now is not a valid time');
  return now.toISOString();
}

/** A subscription still standing: a new application is refused while one is. */
export function isOptOutServiceActive(service: OptOutService | null | undefined): boolean {
  return service?.status === 'PROCESSING' || service?.status === 'COMPLETE';
}

/**
 * Apply for the service. `previous` is the project's latest subscription, if any: a new application is refused
 * while it is PROCESSING or COMPLETE, and after STOPPED/CANCELED it starts a new, empty generation.
 */
export function applyOptOutService(
  input: { companyName: string },
  now: Date,
  previous?: OptOutService | null,
): OptOutService {
  // Characters, not UTF-16 units: a name is read by people, and 20 Hangul are 20 characters.
  const companyName = (input.companyName ?? '').trim();
  if (companyName.length === 0) {
    throw new ComplianceError('COMPANY_NAME_EMPTY', 'companyName', 'the company name is required');
  }
  const length = [...companyName].length;
  if (length > COMPANY_NAME_MAX_LENGTH) {
    throw new ComplianceError(
      'COMPANY_NAME_TOO_LONG',
      'companyName',
      `the company name has ${length} characters; at most ${COMPANY_NAME_MAX_LENGTH} are allowed`,
    );
  }
  if (previous && isOptOutServiceActive(previous)) {
    throw new ComplianceError(
      'OPT_OUT_SERVICE_ALREADY_ACTIVE',
      'status',
      `the project already has a 080 opt-out service in ${previous.status}`,
    );
  }
  return {
    status: 'PROCESSING',
    companyName,
    number080: null,
    generation: (previous?.generation ?? 0) + 1,
    appliedAt: iso(now),
    completedAt: null,
    stoppedAt: null,
    canceledAt: null,
  };
}

function refuse(service: OptOutService, to: OptOutServiceStatus): never {
  throw new ComplianceError(
    'OPT_OUT_SERVICE_TRANSITION_REFUSED',
    'status',
    `a 080 opt-out service in ${service.status} cannot become ${to}` +
      (OPT_OUT_TRANSITIONS[service.status].length === 0 ? ' (it is terminal)' : ''),
  );
}

/** Normalize a 080 number to its digits: 080 followed by 7 or 8 digits. */
export function normalize080Number(input: string, field = 'number080'): string {
  const digits = String(input ?? '').replace(/[\s-]/g, '');
  if (!/^080\d{7,8}$/.test(digits)) {
    throw new ComplianceError(
      'INVALID_080_NUMBER',
      field,
      `'${input}' is not a 080 number (080 and 7 or 8 digits)`,
    );
  }
  return digits;
}

/** 0801234567 → 080-123-4567, 08012345678 → 080-1234-5678: how the footer shows it. */
export function format080Number(number080: string): string {
  const digits = normalize080Number(number080);
  const middle = digits.length === 10 ? 3 : 4;
  return `080-${digits.slice(3, 3 + middle)}-${digits.slice(3 + middle)}`;
}

/** The vendor issued the 080 number: PROCESSING → COMPLETE (charging starts now). */
export function completeOptOutService(service: OptOutService, number080: string, now: Date): OptOutService {
  if (service.status !== 'PROCESSING') refuse(service, 'COMPLETE');
  return { ...service, status: 'COMPLETE', number080: normalize080Number(number080), completedAt: iso(now) };
}

/** Cancel an application before it completes: PROCESSING → CANCELED, with no penalty and no charge. */
export function cancelOptOutService(service: OptOutService, now: Date): OptOutService {
  if (service.status !== 'PROCESSING') refuse(service, 'CANCELED');
  return { ...service, status: 'CANCELED', canceledAt: iso(now) };
}

/**
 * Stop the service: COMPLETE → STOPPED, terminal, charging ends. The caller must erase this generation's block
 * list (`blockListErased` says so explicitly); it is never carried into a later subscription.
 */
export function stopOptOutService(
  service: OptOutService,
  now: Date,
): { service: OptOutService; blockListErased: true } {
  if (service.status !== 'COMPLETE') refuse(service, 'STOPPED');
  return { service: { ...service, status: 'STOPPED', stoppedAt: iso(now) }, blockListErased: true };
}
