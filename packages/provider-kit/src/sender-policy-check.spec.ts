import { describe, expect, it } from '@jest/globals';
import { SENDER_POLICIES, type SenderPolicyTable } from '@munja/rules';
import { senderPoliciesOf } from './plugin';
import { senderPolicyProblems } from './sender-policy-check';

describe('sender policy tables', () => {
  it('a plugin that declares none gets the as-written default', () => {
    expect(senderPoliciesOf({})).toBe(SENDER_POLICIES.AS_WRITTEN);
    expect(senderPoliciesOf({ senderPolicies: SENDER_POLICIES.SENS })).toBe(SENDER_POLICIES.SENS);
  });

  it('the shipped tables are well-formed', () => {
    expect(senderPolicyProblems(SENDER_POLICIES.SENS)).toEqual([]);
    expect(senderPolicyProblems(SENDER_POLICIES.AS_WRITTEN)).toEqual([]);
  });

  it.each([
    ['not an object', null, 'senderPolicies must be { countries, fallback }'],
    ['no fallback key', { countries: {} }, 'senderPolicies.fallback must be a policy or null'],
    [
      'a key that is no calling code',
      { countries: { CN: { countryCode: 'CN', country: 'CN', sender: 'RANDOM' } }, fallback: null },
      "senderPolicies.countries['CN']: a country calling code is 1 to 3 digits",
    ],
    [
      'a key and a countryCode that differ',
      { countries: { '86': { countryCode: '852', country: 'CN', sender: 'RANDOM' } }, fallback: null },
      "senderPolicies.countries['86'].countryCode must be '86'",
    ],
    [
      'an unknown sender kind',
      { countries: {}, fallback: { sender: 'ALPHA' } },
      'senderPolicies.fallback.sender must be one of RANDOM, AS_ENTERED, FIXED',
    ],
    [
      'a vendor signature without its text',
      {
        countries: {
          '86': { countryCode: '86', country: 'CN', sender: 'RANDOM', signature: { by: 'VENDOR' } },
        },
        fallback: null,
      },
      "senderPolicies.countries['86'].signature must be { by: 'VENDOR', text } with a text, or { by: 'SENDER' }",
    ],
    [
      'a signature written as a bare string',
      {
        countries: { '86': { countryCode: '86', country: 'CN', sender: 'RANDOM', signature: '【Verify】' } },
        fallback: null,
      },
      "senderPolicies.countries['86'].signature must be { by: 'VENDOR', text } with a text, or { by: 'SENDER' }",
    ],
  ])('%s is named', (_name, table, problem) => {
    expect(senderPolicyProblems(table as unknown as SenderPolicyTable)).toEqual([problem]);
  });
});
