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
      {
        countryCode: '86',
        country: 'CN',
        sender: 'RANDOM',
        signature: { by: 'VENDOR', text: '【INFO中国】' },
      },
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

describe("China on a route where the sender signs (Infobank OMNI, seed 004): the sender's signature first, as written", () => {
  const senderSigns = extendSenderPolicies(SENS_SENDER_POLICIES, [
    { countryCode: '86', country: 'CN', sender: 'AS_ENTERED', signature: { by: 'SENDER' } },
  ]);

  it.each(['【BB商店】您的验证码是 1234', '【INFO中国】Your code is 1234', '【Verify】x', '【B】'])(
    '%j goes exactly as written, nothing in front',
    (text) => {
      const plan = planInternationalSender(senderSigns, '86', from, text);
      expect(plan.text).toBe(text);
      expect(plan.signatureInserted).toBe(false);
      expect(plan.sender).toEqual({ kind: 'AS_ENTERED', number: from });
    },
  );

  it.each([
    '您的验证码是 1234',
    ' 【BB商店】leading blank',
    'x 【BB商店】',
    '【】empty',
    '【BB\n商店】',
    '[BB商店] x',
    '【BB商店 x',
  ])('%j is refused: the text must open with a signature', (text) => {
    expect(codeOf(() => planInternationalSender(senderSigns, '86', from, text))).toBe(
      'SIGNATURE_REQUIRED@content',
    );
    expect(codeOf(() => planInternationalSender(senderSigns, '86', from, text, 'messages[3].content'))).toBe(
      'SIGNATURE_REQUIRED@messages[3].content',
    );
  });

  it('the same text on SENS gets 【Verify】 in front, which is what SENS itself sends', () => {
    expect(planInternationalSender(SENS_SENDER_POLICIES, '86', from, '【BB商店】x').text).toBe(
      '【Verify】【BB商店】x',
    );
  });

  it('other countries are not signed', () => {
    expect(planInternationalSender(senderSigns, '1', from, 'hello').text).toBe('hello');
  });
});
