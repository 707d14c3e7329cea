import { normalizeKoreanNumber, RuleError } from '@munja/rules';
import { ComplianceError } from './compliance-error';
import type { OptOutService } from './opt-out-service';

/**
 * How a review looks a recipient up in the project's 080 block list. A `Set<string>` of normalized numbers
 * fits; so does any index the caller keeps. It is called once per AD recipient, so it must be cheap
 * (a bulk send may carry 100,000 recipients).
 */
export interface BlockListLookup {
  has(number: string): boolean;
}

/** Block-list entries may be added or removed only while the service is COMPLETE. */
export function assertBlockListEditable(
  service: OptOutService | null | undefined,
): asserts service is OptOutService {
  if (service?.status !== 'COMPLETE') {
    throw new ComplianceError(
      'BLOCK_LIST_NOT_EDITABLE',
      'status',
      `the block list can be edited only while the 080 service is COMPLETE (it is ${service?.status ?? 'absent'})`,
    );
  }
}

/**
 * A block-list number as stored and looked up: digits only, normalized through @munja/rules so that
 * '010-1234-5678' and '01012345678' are the same entry. Letters or other signs are refused.
 */
export function normalizeBlockedNumber(input: string, field = 'number'): string {
  const raw = String(input ?? '');
  if (!/^[\d\s-]+$/.test(raw.trim())) {
    throw new ComplianceError(
      'INVALID_BLOCKED_NUMBER',
      field,
      `a block-list number has digits only; got '${raw}'`,
    );
  }
  try {
    return normalizeKoreanNumber(raw);
  } catch (error) {
    if (error instanceof RuleError) {
      throw new ComplianceError('INVALID_BLOCKED_NUMBER', field, `'${raw}' is not a Korean phone number`);
    }
    throw error;
  }
}
