import { ComplianceError } from './compliance-error';
import { RuleError } from '@munja/rules';

/** `CODE@field` of the ComplianceError or RuleError a call throws; fails the test when it throws none. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ComplianceError || error instanceof RuleError) return `${error.code}@${error.field}`;
    throw error;
  }
  throw new Error('expected a ComplianceError or RuleError');
}
