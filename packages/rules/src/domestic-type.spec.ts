import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { countBytes } from './count-bytes';
import { resolveDomesticType, type DomesticMessageInput } from './domestic-type';
import { PROFILES, type LimitProfile } from './limit-profile';
import { RuleError } from './rule-error';

function thrown(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

const ascii = (n: number): string => 'a'.repeat(n);
const hangul = (n: number): string => '가'.repeat(n);

describe('resolveDomesticType', () => {
  describe('no type given (SENS, SMS limit 90 bytes)', () => {
    it.each<[string, DomesticMessageInput, string, number, number, string]>([
      ['90 ASCII bytes', { content: ascii(90) }, 'SMS', 90, 0, 'FITS_SMS'],
      ['91 ASCII bytes', { content: ascii(91) }, 'LMS', 91, 0, 'CONTENT_OVER_SMS_LIMIT'],
      ['45 Hangul = 90 bytes', { content: hangul(45) }, 'SMS', 90, 0, 'FITS_SMS'],
      ['46 Hangul = 92 bytes', { content: hangul(46) }, 'LMS', 92, 0, 'CONTENT_OVER_SMS_LIMIT'],
      ['44 Hangul + 2 ASCII = 90 bytes', { content: hangul(44) + 'ab' }, 'SMS', 90, 0, 'FITS_SMS'],
      [
        '45 Hangul + 1 ASCII = 91 bytes',
        { content: hangul(45) + 'a' },
        'LMS',
        91,
        0,
        'CONTENT_OVER_SMS_LIMIT',
      ],
      ['a short text with a subject', { subject: '안내', content: 'hi' }, 'LMS', 2, 4, 'HAS_SUBJECT'],
      ['an empty subject is no subject', { subject: '', content: 'hi' }, 'SMS', 2, 0, 'FITS_SMS'],
      ['a file', { content: 'hi', fileCount: 1 }, 'MMS', 2, 0, 'HAS_FILES'],
      ['a file and a subject', { subject: 'x', content: 'hi', fileCount: 3 }, 'MMS', 2, 1, 'HAS_FILES'],
      ['2000 bytes', { content: hangul(1000) }, 'LMS', 2000, 0, 'CONTENT_OVER_SMS_LIMIT'],
      ['40-byte subject', { subject: hangul(20), content: 'x' }, 'LMS', 1, 40, 'HAS_SUBJECT'],
      ['40-byte ASCII subject', { subject: ascii(40), content: 'x' }, 'LMS', 1, 40, 'HAS_SUBJECT'],
    ])('%s → %s', (_, input, type, contentBytes, subjectBytes, reason) => {
      expect(resolveDomesticType(input, PROFILES.SENS)).toEqual({ type, contentBytes, subjectBytes, reason });
    });
  });

  describe('the console profile (SMS limit 80 bytes)', () => {
    it.each([
      [ascii(80), 'SMS'],
      [ascii(81), 'LMS'],
      [hangul(40), 'SMS'],
      [hangul(40) + 'a', 'LMS'],
    ])('%j → %s', (content, type) => {
      expect(resolveDomesticType({ content }, PROFILES.CONSOLE_80).type).toBe(type);
    });

    it('rejects 81 bytes asked for as SMS, with limit 80', () => {
      const error = thrown(() =>
        resolveDomesticType({ type: 'SMS', content: ascii(81) }, PROFILES.CONSOLE_80),
      );
      expect([error.code, error.field, error.limit, error.actual]).toEqual([
        'CONTENT_TOO_LONG',
        'content',
        80,
        81,
      ]);
    });
  });

  describe('a given type is checked, not changed', () => {
    it.each<[string, DomesticMessageInput, string, string]>([
      ['SMS at 90 bytes', { type: 'SMS', content: ascii(90) }, 'SMS', 'REQUESTED'],
      ['LMS for a short text', { type: 'LMS', content: 'hi' }, 'LMS', 'REQUESTED'],
      ['MMS with files', { type: 'MMS', content: 'hi', fileCount: 2 }, 'MMS', 'REQUESTED'],
      ['MMS without files goes as LMS', { type: 'MMS', content: 'hi' }, 'LMS', 'MMS_WITHOUT_FILES'],
      [
        'MMS with 0 files goes as LMS',
        { type: 'MMS', content: 'hi', fileCount: 0 },
        'LMS',
        'MMS_WITHOUT_FILES',
      ],
    ])('%s', (_, input, type, reason) => {
      const decision = resolveDomesticType(input, PROFILES.SENS);
      expect([decision.type, decision.reason]).toEqual([type, reason]);
    });

    it.each<[string, DomesticMessageInput, string, string, number | undefined, number | undefined]>([
      ['SMS over 90 bytes', { type: 'SMS', content: ascii(91) }, 'CONTENT_TOO_LONG', 'content', 90, 91],
      [
        'SMS over 90 bytes of Hangul',
        { type: 'SMS', content: hangul(46) },
        'CONTENT_TOO_LONG',
        'content',
        90,
        92,
      ],
      [
        'SMS with a subject',
        { type: 'SMS', subject: 's', content: 'x' },
        'SUBJECT_NOT_ALLOWED',
        'subject',
        undefined,
        undefined,
      ],
      ['SMS with a file', { type: 'SMS', content: 'x', fileCount: 1 }, 'FILES_NOT_ALLOWED', 'files', 0, 1],
      ['LMS with a file', { type: 'LMS', content: 'x', fileCount: 1 }, 'FILES_NOT_ALLOWED', 'files', 0, 1],
      [
        'LMS over 2000 bytes',
        { type: 'LMS', content: hangul(1000) + '!' },
        'CONTENT_TOO_LONG',
        'content',
        2000,
        2001,
      ],
      [
        'MMS over 2000 bytes',
        { type: 'MMS', content: ascii(2001), fileCount: 1 },
        'CONTENT_TOO_LONG',
        'content',
        2000,
        2001,
      ],
      [
        'LMS 41-byte subject',
        { type: 'LMS', subject: ascii(41), content: 'x' },
        'SUBJECT_TOO_LONG',
        'subject',
        40,
        41,
      ],
      [
        'MMS 42-byte subject',
        { subject: hangul(21), content: 'x', fileCount: 1 },
        'SUBJECT_TOO_LONG',
        'subject',
        40,
        42,
      ],
      ['MMS with 4 files', { type: 'MMS', content: 'x', fileCount: 4 }, 'TOO_MANY_FILES', 'files', 3, 4],
      ['4 files, no type', { content: 'x', fileCount: 4 }, 'TOO_MANY_FILES', 'files', 3, 4],
      ['no type, 2001 bytes', { content: ascii(2001) }, 'CONTENT_TOO_LONG', 'content', 2000, 2001],
      [
        'no type, 41-byte subject',
        { subject: `${hangul(20)}a`, content: 'x' },
        'SUBJECT_TOO_LONG',
        'subject',
        40,
        41,
      ],
      ['empty content', { content: '' }, 'CONTENT_EMPTY', 'content', undefined, undefined],
      [
        'a negative file count',
        { content: 'x', fileCount: -1 },
        'INVALID_FILE_COUNT',
        'files',
        undefined,
        undefined,
      ],
      [
        'an unknown type',
        { type: 'RCS' as 'SMS', content: 'x' },
        'INVALID_TYPE',
        'type',
        undefined,
        undefined,
      ],
      [
        'an emoji in the content',
        { content: '안녕 😀' },
        'UNENCODABLE_CHARACTER',
        'content',
        undefined,
        undefined,
      ],
      [
        'an emoji in the subject',
        { subject: '🎉', content: 'x' },
        'UNENCODABLE_CHARACTER',
        'subject',
        undefined,
        undefined,
      ],
    ])('%s → %s', (_, input, code, field, limit, actual) => {
      const error = thrown(() => resolveDomesticType(input, PROFILES.SENS));
      expect([error.code, error.field, error.limit, error.actual]).toEqual([code, field, limit, actual]);
      expect(error.message).toContain(field);
    });
  });

  it('names the unencodable character and its index in domestic text', () => {
    const error = thrown(() => resolveDomesticType({ content: '주문 완료 ✅ 감사합니다' }, PROFILES.SENS));
    expect(error.details).toEqual({ character: '✅', index: 6 });
  });

  it('prefixes field names for per-recipient messages', () => {
    const error = thrown(() =>
      resolveDomesticType({ type: 'SMS', content: ascii(91) }, PROFILES.SENS, {
        fieldPrefix: 'messages[3].',
      }),
    );
    expect(error.field).toBe('messages[3].content');
  });

  it('follows a plugin-defined profile', () => {
    const tight: LimitProfile = {
      ...PROFILES.SENS,
      id: 'TIGHT',
      sms: { contentBytes: 10 },
      lms: { subjectBytes: 4, contentBytes: 20 },
    };
    expect(resolveDomesticType({ content: ascii(10) }, tight).type).toBe('SMS');
    expect(resolveDomesticType({ content: ascii(11) }, tight).type).toBe('LMS');
    expect(thrown(() => resolveDomesticType({ content: ascii(21) }, tight)).limit).toBe(20);
  });

  it('chooses SMS exactly when nothing needs more (property)', () => {
    const text = fc
      .array(fc.constantFrom('a', ' ', '가', '한', '1'), { maxLength: 1100 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(
        text,
        fc.option(text, { nil: undefined }),
        fc.integer({ min: 0, max: 3 }),
        (content, subject, files) => {
          fc.pre(content.length > 0);
          const bytes = countBytes(content);
          const subjectBytes = subject ? countBytes(subject) : 0;
          let decision;
          try {
            decision = resolveDomesticType({ content, subject, fileCount: files }, PROFILES.SENS);
          } catch (error) {
            expect(error).toBeInstanceOf(RuleError);
            expect(bytes > 2000 || subjectBytes > 40).toBe(true);
            return;
          }
          expect(decision.contentBytes).toBe(bytes);
          expect(decision.subjectBytes).toBe(subjectBytes);
          const expected = files > 0 ? 'MMS' : subjectBytes > 0 || bytes > 90 ? 'LMS' : 'SMS';
          expect(decision.type).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
