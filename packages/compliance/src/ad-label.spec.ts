import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { AD_LABEL, applyAdLabel, missingAdLabelParts, optOutNotice } from './ad-label';
import { codeOf } from './codes.test-helpers';

const options = { senderName: '문자상사', number080: '080-1234-5678', mode: 'insert' as const };
const footer = '무료거부 080-1234-5678';

describe('ad labelling: insert', () => {
  it.each([
    ['봄 세일 50%', `(광고)문자상사\n봄 세일 50%\n${footer}`, ['label', 'senderName', 'optOutNotice']],
    [`(광고)문자상사\n봄 세일\n${footer}`, `(광고)문자상사\n봄 세일\n${footer}`, []],
    [`(광고)문자상사 봄 세일\n${footer}\n`, `(광고)문자상사 봄 세일\n${footer}\n`, []],
    [`(광고) 문자상사 봄 세일\n${footer}`, `(광고) 문자상사 봄 세일\n${footer}`, []],
    [`(광고)봄 세일\n${footer}`, `(광고)문자상사\n봄 세일\n${footer}`, ['senderName']],
    [`(광고) 봄 세일\n${footer}`, `(광고)문자상사\n봄 세일\n${footer}`, ['senderName']],
    ['(광고)문자상사 봄 세일', `(광고)문자상사 봄 세일\n${footer}`, ['optOutNotice']],
    [`문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    // wrong label variants: replaced, never stacked
    [`[광고]문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(광 고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`( 광고 ) 문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`<광고>문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`【광고】문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(대출광고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`  (광고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    // repeated labels collapse into one
    [`(광고)(광고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(광고) [광고] 문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(광고)(광고)봄 세일`, `(광고)문자상사\n봄 세일\n${footer}`, ['label', 'senderName', 'optOutNotice']],
    // the word 광고 without brackets is body text, not a label
    ['광고 문의 환영', `(광고)문자상사\n광고 문의 환영\n${footer}`, ['label', 'senderName', 'optOutNotice']],
    // wrong footers: replaced, never stacked
    ['(광고)문자상사 세일\n수신거부 080-1234-5678', `(광고)문자상사 세일\n${footer}`, ['optOutNotice']],
    ['(광고)문자상사 세일\n무료거부 080-9999-0000', `(광고)문자상사 세일\n${footer}`, ['optOutNotice']],
    [
      '(광고)문자상사 세일\n무료수신거부 080-1234-5678',
      '(광고)문자상사 세일\n무료수신거부 080-1234-5678',
      [],
    ],
    ['(광고)문자상사 세일\n무료거부 08012345678', '(광고)문자상사 세일\n무료거부 08012345678', []],
    [
      '(광고)문자상사 세일\n무료 수신거부: 080 1234 5678',
      '(광고)문자상사 세일\n무료 수신거부: 080 1234 5678',
      [],
    ],
    ['', `(광고)문자상사\n${footer}`, ['label', 'senderName', 'optOutNotice']],
  ])('%j', (input, output, inserted) => {
    const once = applyAdLabel(input, options);
    expect(once.content).toBe(output);
    expect(once.inserted).toEqual(inserted);
    // idempotent: a second pass changes nothing
    expect(applyAdLabel(once.content, options)).toEqual({ content: once.content, inserted: [] });
  });

  it('formats a 10-digit 080 number as 080-xxx-xxxx', () => {
    expect(optOutNotice('0801234567')).toBe('무료거부 080-123-4567');
  });

  it('property: insert is idempotent, starts with the label + sender and ends with the notice', () => {
    const piece = fc.constantFrom(
      '(광고)',
      '[광고]',
      '(광 고)',
      '문자상사',
      '세일',
      footer,
      '무료거부 080-9999-0000',
      '\n',
      ' ',
      'A',
      '광고',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const once = applyAdLabel(pieces.join(''), options);
        expect(once.content.startsWith(`${AD_LABEL}문자상사`)).toBe(true);
        expect(once.content.trimEnd().endsWith(footer)).toBe(true);
        expect(missingAdLabelParts(once.content, options)).toEqual([]);
        expect(applyAdLabel(once.content, options).content).toBe(once.content);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ad labelling: strict', () => {
  const strict = { ...options, mode: 'strict' as const };
  it.each([
    ['봄 세일', 'AD_LABEL_MISSING@content'],
    [`[광고]문자상사 봄 세일\n${footer}`, 'AD_LABEL_MISSING@content'],
    [`(광고)봄 세일\n${footer}`, 'AD_SENDER_NAME_MISSING@content'],
    ['(광고)문자상사 봄 세일', 'AD_OPT_OUT_NOTICE_MISSING@content'],
    ['(광고)문자상사 봄 세일\n무료거부 080-9999-0000', 'AD_OPT_OUT_NOTICE_MISSING@content'],
  ])('%j → %s', (input, code) => {
    expect(codeOf(() => applyAdLabel(input, strict))).toBe(code);
  });

  it('accepts a complying text unchanged', () => {
    const text = `(광고)문자상사 봄 세일\n${footer}`;
    expect(applyAdLabel(text, strict)).toEqual({ content: text, inserted: [] });
  });

  it('names the field it was given and lists everything missing', () => {
    try {
      applyAdLabel('봄 세일', strict, 'messages[2].content');
      throw new Error('no error');
    } catch (error) {
      expect(error).toMatchObject({ code: 'AD_LABEL_MISSING', field: 'messages[2].content' });
      expect((error as Error).message).toContain('label, senderName, optOutNotice');
    }
  });
});

describe('ad labelling: bad options', () => {
  it('needs a sender name and a 080 number', () => {
    expect(codeOf(() => applyAdLabel('x', { ...options, senderName: ' ' }))).toBe(
      'AD_SENDER_NAME_REQUIRED@senderName',
    );
    expect(codeOf(() => applyAdLabel('x', { ...options, number080: '02-123-4567' }))).toBe(
      'INVALID_080_NUMBER@number080',
    );
  });
});
