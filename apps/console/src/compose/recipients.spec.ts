import { describe, expect, it } from 'vitest';
import { csvRecipients, parseRecipientList, recipientsCsv } from './recipients';

describe('recipients', () => {
  it('reads a pasted list one per line, dropping blanks and spaces', () => {
    expect(parseRecipientList(' 010-1234-5678 \r\n\n01011112222,01033334444\t0105')).toEqual([
      '010-1234-5678',
      '01011112222',
      '01033334444',
      '0105',
    ]);
  });

  it("reads a CSV's to column (any position, quoted), or every line without a header", () => {
    expect(csvRecipients('\uFEFFsubject,TO,content\n"a, b",010-1,"x ""y"""\n,0102,\n')).toEqual([
      '010-1',
      '0102',
    ]);
    expect(csvRecipients('01011112222\n01033334444\n')).toEqual(['01011112222', '01033334444']);
  });

  it('writes a list as the bulk CSV, and reads it back', () => {
    const numbers = ['01011112222', 'a,"b"'];
    expect(csvRecipients(recipientsCsv(numbers))).toEqual(numbers);
  });
});
