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
    [`（광고）문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`  (광고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    // repeated labels collapse into one
    [`(광고)(광고)문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(광고) [광고] 문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['label']],
    [`(광고)(광고)봄 세일`, `(광고)문자상사\n봄 세일\n${footer}`, ['label', 'senderName', 'optOutNotice']],
    // a bracket with other words in it is the advertiser's text: the label goes in front, nothing is removed
    [
      '[광고모델 모집] 지원하세요',
      `(광고)문자상사\n[광고모델 모집] 지원하세요\n${footer}`,
      ['label', 'senderName', 'optOutNotice'],
    ],
    [
      `(대출광고)문자상사 봄 세일\n${footer}`,
      `(광고)문자상사\n(대출광고)문자상사 봄 세일\n${footer}`,
      ['label', 'senderName'],
    ],
    [
      '[광고 문의] 환영',
      `(광고)문자상사\n[광고 문의] 환영\n${footer}`,
      ['label', 'senderName', 'optOutNotice'],
    ],
    ['광고) 문의', `(광고)문자상사\n광고) 문의\n${footer}`, ['label', 'senderName', 'optOutNotice']],
    // a correct opt-out line is kept as written when something else is added
    [
      '봄 세일\n무료 수신거부: 080 1234 5678',
      '(광고)문자상사\n봄 세일\n무료 수신거부: 080 1234 5678',
      ['label', 'senderName'],
    ],
    // the sender name written on the next line is moved up, not repeated
    [`(광고)\n문자상사 봄 세일\n${footer}`, `(광고)문자상사 봄 세일\n${footer}`, ['senderName']],
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
        // A text that already complies is kept as written, so a blank may stand between the label and the name
        // (`(광고) 문자상사…`, as in the table above); a rebuilt start has none.
        expect(once.content).toMatch(/^\(광고\)[ \t]*문자상사/u);
        if (once.inserted.length > 0) expect(once.content.startsWith(`${AD_LABEL}문자상사`)).toBe(true);
        expect(once.content.trimEnd().endsWith(footer)).toBe(true);
        expect(missingAdLabelParts(once.content, options)).toEqual([]);
        expect(applyAdLabel(once.content, options).content).toBe(once.content);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ad labelling: sender names that look like labels', () => {
  it.each([
    ['(광고천국)', '봄 세일', '(광고)(광고천국)\n봄 세일'],
    ['[제일광고]', '봄 세일', '(광고)[제일광고]\n봄 세일'],
    ['[제일광고]', '[제일광고] 봄 세일', '(광고)[제일광고] 봄 세일'],
    ['(광고천국)', '(광고)(광고천국) 봄 세일', '(광고)(광고천국) 봄 세일'],
    ['(광고천국)', '[광고](광고천국) 봄 세일', '(광고)(광고천국) 봄 세일'],
    // a name that is itself a label spelling: the first (광고) is the label, what follows is the name
    ['(광고)', '봄 세일', '(광고)(광고)\n봄 세일'],
    ['(광고)', '(광고) 봄 세일', '(광고)(광고)\n봄 세일'],
    ['[광고]', '[광고] 봄 세일', '(광고)[광고] 봄 세일'],
  ])('%s + %j → %j, once', (senderName, input, start) => {
    const named = { ...options, senderName };
    const once = applyAdLabel(input, named).content;
    expect(once).toBe(`${start}\n${footer}`);
    expect(applyAdLabel(once, named)).toEqual({ content: once, inserted: [] });
    expect(applyAdLabel(once, { ...named, mode: 'strict' })).toEqual({ content: once, inserted: [] });
  });

  it('strict accepts a correctly labelled text whose sender name holds 광고', () => {
    for (const senderName of ['(광고천국)', '[제일광고]', '광고나라']) {
      const text = `(광고)${senderName} 봄 세일\n${footer}`;
      expect(applyAdLabel(text, { ...options, senderName, mode: 'strict' })).toEqual({
        content: text,
        inserted: [],
      });
    }
  });
});

describe('ad labelling: properties over any sender name and body', () => {
  const open = fc.constantFrom('(', '[', '【', '<', '（', '「');
  const close = fc.constantFrom(')', ']', '】', '>', '）', '」');
  const word = fc.constantFrom(
    '광고',
    '광고천국',
    '제일광고',
    '대출광고',
    '광고모델 모집',
    '광 고',
    '문자상사',
    'BB商店',
  );
  const bracketed = fc.tuple(open, word, close).map(([o, w, c]) => `${o}${w}${c}`);
  const senderName = fc
    .oneof(bracketed, word, fc.string({ minLength: 1, maxLength: 8 }))
    .filter((name) => name.trim() !== '');
  const piece = fc.oneof(
    bracketed,
    word,
    open,
    close,
    fc.constantFrom(' ', '\n', '\t', '세일 50%', 'A', '080-1234-5678', '무료', '거부', '(광고)'),
    fc.string({ maxLength: 4 }),
  );
  const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));

  // The spec, written independently of the implementation: a label attempt is `(광고)` or a bracket holding only
  // 광고 and blanks; an opt-out line starts with 무료/수신/거부 and ends in a phone number.
  const LABEL_ATTEMPT = /^\s*[([{<【〔（［「『〈《]\s*광\s*고\s*[)\]}>】〕）］」』〉》]/u;
  const OPT_OUT = /^\s*(무료\s*)?(수신\s*)?거부\s*[:：]?\s*0[\d\s-]{7,14}\d\s*$/u;
  const lastLine = (t: string) => t.trimEnd().split('\n').pop()!;
  const isAdvertisersText = (t: string) => !LABEL_ATTEMPT.test(t) && !OPT_OUT.test(lastLine(t));

  it('insert is idempotent and keeps the law: (광고) first, the free 080 notice last', () => {
    fc.assert(
      fc.property(senderName, text, (name, input) => {
        const named = { ...options, senderName: name };
        const once = applyAdLabel(input, named).content;
        expect(once.startsWith(AD_LABEL)).toBe(true);
        const last = lastLine(once);
        expect(last.includes('무료') && last.replace(/\D/g, '') === '08012345678').toBe(true);
        expect(missingAdLabelParts(once, named)).toEqual([]);
        expect(applyAdLabel(once, named)).toEqual({ content: once, inserted: [] });
        expect(applyAdLabel(once, { ...named, mode: 'strict' }).content).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("the advertiser's text appears unchanged, right after the label and sender name", () => {
    fc.assert(
      fc.property(senderName, text.filter(isAdvertisersText), (name, body) => {
        const once = applyAdLabel(body, { ...options, senderName: name }).content;
        expect(once).toContain(body.trim());
        expect(once.endsWith(`\n${footer}`)).toBe(true);
        const start = body.trim().startsWith(name.trim()) ? AD_LABEL : `${AD_LABEL}${name.trim()}\n`;
        expect(once).toBe(
          body.trim() === '' ? `${AD_LABEL}${name.trim()}\n${footer}` : `${start}${body.trim()}\n${footer}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('a correctly labelled text is accepted unchanged, whatever the sender name looks like', () => {
    fc.assert(
      fc.property(senderName, text.filter(isAdvertisersText), (name, body) => {
        const labelled = `${AD_LABEL}${name.trim()} ${body}\n${footer}`;
        const named = { ...options, senderName: name, mode: 'strict' as const };
        expect(applyAdLabel(labelled, named)).toEqual({ content: labelled, inserted: [] });
      }),
      { numRuns: 2000 },
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
