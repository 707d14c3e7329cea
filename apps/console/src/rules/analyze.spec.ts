import { describe, expect, it } from 'vitest';
import { analyzeDomestic, analyzeInternational } from './analyze';

describe('the compose counter (@munja/rules in the browser bundle)', () => {
  it('counts CP949 bytes and moves SMS → LMS past 90 bytes, LMS with a subject, MMS with images', () => {
    expect(analyzeDomestic('가'.repeat(45), '', 0)).toMatchObject({ type: 'SMS', bytes: 90, limit: 90 });
    expect(analyzeDomestic('가'.repeat(45) + 'a', '', 0)).toMatchObject({
      type: 'LMS',
      bytes: 91,
      limit: 2000,
    });
    expect(analyzeDomestic('hello', '제목', 0)).toMatchObject({
      type: 'LMS',
      subjectBytes: 4,
      subjectLimit: 40,
    });
    expect(analyzeDomestic('hello', '', 2)).toMatchObject({ type: 'MMS' });
  });

  it('marks each character CP949 cannot carry with its index, and counts the rest', () => {
    const analysis = analyzeDomestic('a😀b☃가', '', 0);
    expect(analysis.unencodable).toEqual([
      { index: 1, character: '😀' },
      { index: 4, character: '☃' },
    ]);
    expect(analysis.bytes).toBe(4);
    // KS X 1001 symbols are 2 bytes, not refused
    expect(analyzeDomestic('※★', '', 0)).toMatchObject({ bytes: 4, unencodable: [] });
  });

  it('reports a content over the LMS limit as the rules refuse it', () => {
    const analysis = analyzeDomestic('가'.repeat(1001), '', 0);
    expect(analysis.bytes).toBe(2002);
    expect(analysis.error?.code).toBe('CONTENT_TOO_LONG');
  });

  it('plans international parts in GSM-7 or UCS-2', () => {
    expect(analyzeInternational('a'.repeat(160))).toMatchObject({ encoding: 'GSM7', parts: 1, units: 160 });
    expect(analyzeInternational('a'.repeat(161))).toMatchObject({ encoding: 'GSM7', parts: 2 });
    expect(analyzeInternational('{'.repeat(80))).toMatchObject({ encoding: 'GSM7', units: 160, parts: 1 });
    expect(analyzeInternational('안녕'.repeat(36))).toMatchObject({ encoding: 'UCS2', units: 72, parts: 2 });
    expect(analyzeInternational('é안').nonGsm7).toEqual(['안']);
    expect(analyzeInternational('a'.repeat(766)).error?.code).toBe('TOO_MANY_PARTS');
  });
});
