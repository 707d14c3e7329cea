import type { CountrySenderPolicy, SenderPolicyTable } from '@munja/rules';

const SENDER_KINDS: readonly string[] = ['RANDOM', 'AS_ENTERED', 'FIXED'];

function policyProblems(policy: Partial<CountrySenderPolicy> | undefined, at: string): string[] {
  if (typeof policy !== 'object' || policy === null) return [`${at} is not an object`];
  const problems: string[] = [];
  if (!SENDER_KINDS.includes(policy.sender as string))
    problems.push(`${at}.sender must be one of ${SENDER_KINDS.join(', ')}`);
  const signature = policy.signature as { by?: unknown; text?: unknown } | undefined;
  if (signature !== undefined) {
    const vendorOk = signature.by === 'VENDOR' && typeof signature.text === 'string' && signature.text !== '';
    if (!vendorOk && signature.by !== 'SENDER')
      problems.push(`${at}.signature must be { by: 'VENDOR', text } with a text, or { by: 'SENDER' }`);
  }
  return problems;
}

/**
 * What is wrong with a plugin's declared sender policy table (empty when nothing): a plugin loaded by package
 * name is plain JavaScript, so the server checks the data at start-up rather than trusting the types.
 */
export function senderPolicyProblems(table: SenderPolicyTable): string[] {
  if (typeof table !== 'object' || table === null || typeof table.countries !== 'object' || !table.countries)
    return ['senderPolicies must be { countries, fallback }'];
  const problems: string[] = [];
  for (const [code, policy] of Object.entries(table.countries)) {
    const at = `senderPolicies.countries['${code}']`;
    if (!/^[1-9]\d{0,2}$/.test(code)) problems.push(`${at}: a country calling code is 1 to 3 digits`);
    problems.push(...policyProblems(policy, at));
    if (policy?.countryCode !== code) problems.push(`${at}.countryCode must be '${code}'`);
  }
  if (table.fallback === undefined) problems.push('senderPolicies.fallback must be a policy or null');
  else if (table.fallback !== null)
    problems.push(...policyProblems(table.fallback, 'senderPolicies.fallback'));
  return problems;
}
