import { describe, expect, it } from '@jest/globals';
import { senderPoliciesOf, senderPolicyProblems } from '@munja/provider-kit';
import sensPlugin from './index';

describe("SENS's sender policy (seed 000, 国際SMSの発送国別発信番号ポリシー)", () => {
  const table = senderPoliciesOf(sensPlugin);

  it('is declared by the plugin definition, and well-formed', () => {
    expect(sensPlugin.senderPolicies).toBeDefined();
    expect(senderPolicyProblems(table)).toEqual([]);
  });

  it.each([
    ['1', 'RANDOM'],
    ['65', 'AS_ENTERED'],
    ['81', 'FIXED'],
    ['852', 'RANDOM'],
    ['86', 'RANDOM'],
    ['886', 'RANDOM'],
  ])('country %s: %s', (countryCode, sender) => {
    expect(table.countries[countryCode]).toMatchObject({ countryCode, sender });
  });

  it('only China is signed, by SENS itself with 【Verify】', () => {
    const signed = Object.values(table.countries).filter((p) => p.signature !== undefined);
    expect(signed).toEqual([
      expect.objectContaining({ countryCode: '86', signature: { by: 'VENDOR', text: '【Verify】' } }),
    ]);
    expect(Object.keys(table.countries).sort()).toEqual(['1', '65', '81', '852', '86', '886']);
  });
});
