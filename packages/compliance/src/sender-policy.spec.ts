import { describe, it, expect } from '@jest/globals';
import { segment } from '@munja/rules';
import {
  extendSenderPolicies,
  planInternationalSender,
  SENS_SENDER_POLICIES,
  withSignature,
} from './sender-policy';
import { codeOf } from './codes.test-helpers';

const from = '0212345678';

describe('international sender policy (SENS table)', () => {
  it.each([
    ['1', 'RANDOM', null],
    ['65', 'AS_ENTERED', from],
    ['81', 'FIXED', null],
    ['852', 'RANDOM', null],
    ['86', 'RANDOM', null],
    ['886', 'RANDOM', null],
    ['+65', 'AS_ENTERED', from],
  ])('country %s → %s sender %s', (countryCode, kind, number) => {
    const plan = planInternationalSender(SENS_SENDER_POLICIES, countryCode, from, 'Your code is 1234');
    expect(plan.sender).toEqual({ kind, number });
  });

  it('only China gets a signature', () => {
    for (const code of ['1', '65', '81', '852', '886', '44']) {
      const plan = planInternationalSender(SENS_SENDER_POLICIES, code, from, 'Your code is 1234');
      expect(plan.text).toBe('Your code is 1234');
      expect(plan.signatureInserted).toBe(false);
    }
  });

  it('a country the table does not name falls back to as-entered', () => {
    expect(planInternationalSender(SENS_SENDER_POLICIES, '44', from, 'x').sender).toEqual({
      kind: 'AS_ENTERED',
      number: from,
    });
  });

  it('refuses a malformed country code, and any unnamed country when there is no fallback', () => {
    expect(codeOf(() => planInternationalSender(SENS_SENDER_POLICIES, 'UK', from, 'x'))).toBe(
      'UNSUPPORTED_COUNTRY@countryCode',
    );
    const closed = extendSenderPolicies(SENS_SENDER_POLICIES, [], null);
    expect(codeOf(() => planInternationalSender(closed, '44', from, 'x'))).toBe(
      'UNSUPPORTED_COUNTRY@countryCode',
    );
    expect(planInternationalSender(closed, '65', from, 'x').sender.kind).toBe('AS_ENTERED');
  });

  it('a plugin can extend or override the table without changing the base', () => {
    const table = extendSenderPolicies(SENS_SENDER_POLICIES, [
      { countryCode: '81', country: 'JP', sender: 'FIXED', fixedSender: 'MUNJA' },
      { countryCode: '86', country: 'CN', sender: 'RANDOM', signature: '【INFO中国】' },
      { countryCode: '44', country: 'GB', sender: 'RANDOM' },
    ]);
    expect(planInternationalSender(table, '81', from, 'x').sender).toEqual({
      kind: 'FIXED',
      number: 'MUNJA',
    });
    expect(planInternationalSender(table, '86', from, 'x').text).toBe('【INFO中国】x');
    expect(planInternationalSender(table, '44', from, 'x').sender.kind).toBe('RANDOM');
    expect(planInternationalSender(SENS_SENDER_POLICIES, '86', from, 'x').text).toBe('【Verify】x');
    expect(planInternationalSender(SENS_SENDER_POLICIES, '44', from, 'x').sender.kind).toBe('AS_ENTERED');
  });
});

describe('China: 【Verify】 at the start, never twice', () => {
  it('without a signature: inserted at the start, then segmented as UCS-2', () => {
    const plan = planInternationalSender(SENS_SENDER_POLICIES, '86', from, 'Your code is 1234');
    expect(plan.text).toBe('【Verify】Your code is 1234');
    expect(plan.signatureInserted).toBe(true);
    const parts = segment(plan.text);
    expect(parts.encoding).toBe('UCS2');
    expect(parts.parts).toEqual(['【Verify】Your code is 1234']);
  });

  it('with the signature already at the start: unchanged', () => {
    const plan = planInternationalSender(SENS_SENDER_POLICIES, '86', from, '【Verify】Your code is 1234');
    expect(plan.text).toBe('【Verify】Your code is 1234');
    expect(plan.signatureInserted).toBe(false);
  });

  it('with the signature elsewhere: moved to the start, still once', () => {
    const plan = planInternationalSender(SENS_SENDER_POLICIES, '86', from, 'Your code is 1234 【Verify】');
    expect(plan.text).toBe('【Verify】Your code is 1234 ');
    expect(plan.text.split('【Verify】')).toHaveLength(2);
  });

  it('is idempotent', () => {
    const once = withSignature('验证码 1234', '【Verify】');
    expect(once).toEqual({ text: '【Verify】验证码 1234', inserted: true });
    expect(withSignature(once.text, '【Verify】')).toEqual({ text: once.text, inserted: false });
  });
});
