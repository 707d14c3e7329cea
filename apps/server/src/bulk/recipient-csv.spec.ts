import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../common/api-error';
import { readRecipientCsv, type CsvRow } from './recipient-csv';

/** Feeds the text in small pieces, so rows and quoted fields straddle chunk boundaries. */
async function rows(text: string | Buffer, pieceSize = 7): Promise<CsvRow[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += pieceSize) pieces.push(bytes.subarray(i, i + pieceSize));
  const out: CsvRow[] = [];
  for await (const row of readRecipientCsv(Readable.from(pieces))) out.push(row);
  return out;
}

async function refusal(text: string): Promise<ApiError> {
  try {
    await rows(text);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('readRecipientCsv', () => {
  it('reads a header in any order and case, with a BOM and CRLF', async () => {
    const text = '\ufeffContent,TO\r\n안녕,010-1111-2222\r\n,01033334444\r\n';
    expect(await rows(text)).toEqual([
      { kind: 'recipient', line: 2, to: '010-1111-2222', subject: undefined, content: '안녕' },
      { kind: 'recipient', line: 3, to: '01033334444', subject: undefined, content: undefined },
    ]);
  });

  it('keeps quoted commas, doubled quotes and newlines, numbering rows by the line they start on', async () => {
    const text =
      'to,subject,content\n010-1,"a, b","say ""hi"""\n\n010-2,s,"two\r\nlines\nand three"\n010-3,,x\n';
    const got = await rows(text, 3);
    expect(got.map((r) => r.line)).toEqual([2, 4, 7]);
    expect(got[0]).toMatchObject({ to: '010-1', subject: 'a, b', content: 'say "hi"' });
    expect(got[1]).toMatchObject({ to: '010-2', content: 'two\r\nlines\nand three' });
    expect(got[2]).toMatchObject({ to: '010-3', subject: undefined, content: 'x' });
  });

  it('skips empty and blank lines and reads mixed line endings', async () => {
    const got = await rows('to\r\n\r\n010-1\n   \n\n010-2\r\n010-3');
    expect(got.map((r) => [r.line, r.to])).toEqual([
      [3, '010-1'],
      [6, '010-2'],
      [7, '010-3'],
    ]);
  });

  it('reads the seed format: a newline-separated list of numbers without a header', async () => {
    const got = await rows('010-1111-2222\n+82 10 3333 4444\n\n01055556666\n');
    expect(got.map((r) => [r.kind, r.line, r.to])).toEqual([
      ['recipient', 1, '010-1111-2222'],
      ['recipient', 2, '+82 10 3333 4444'],
      ['recipient', 4, '01055556666'],
    ]);
  });

  it('reports a malformed row by its line and goes on with the next rows', async () => {
    const text =
      'to,content\n010-1,a\n010-2,b,extra\n010-3\n' + `010-4,${'x'.repeat(20_001)}\n,no number\n010-5,"ok"\n`;
    const got = await rows(text, 64);
    expect(got.map((r) => [r.line, r.kind, r.kind === 'malformed' ? r.code : r.to])).toEqual([
      [2, 'recipient', '010-1'],
      [3, 'malformed', 'CSV_FIELD_COUNT'],
      [4, 'malformed', 'CSV_FIELD_COUNT'],
      [5, 'malformed', 'TOO_LONG'],
      [6, 'malformed', 'REQUIRED'],
      [7, 'recipient', '010-5'],
    ]);
    expect(got[3]).toMatchObject({ field: 'content', to: '010-4' });
  });

  it('keeps a stray quote inside a cell', async () => {
    const got = await rows('to,content\n010-1,say "hi\n010-2,"bad"x\n010-3,fine\n');
    expect(got.map((r) => [r.line, r.kind, r.to])).toEqual([
      [2, 'recipient', '010-1'],
      [3, 'recipient', '010-2'],
      [4, 'recipient', '010-3'],
    ]);
    expect(got[0]).toMatchObject({ content: 'say "hi' });
  });

  it('refuses a file with an unclosed quote, naming the line where it opened', async () => {
    const error = await refusal('to,content\n010-1,a\n\n010-4,"never closed\n010-5,z\n');
    expect(error).toMatchObject({ statusCode: 422, code: 'CSV_MALFORMED', field: 'recipients' });
    expect(error.message).toMatch(/^line 4: /);
  });

  it('refuses an unclosed quote early: a long file after it is not held (the record bound stops it)', async () => {
    const tail = '010-1234-5678,hello there\n'.repeat(200_000); // ~5 MB that would become one record
    let read = 0;
    const source = Readable.from(
      (function* () {
        yield Buffer.from('to,content\n010-1,"never closed\n');
        for (let i = 0; i < tail.length; i += 65_536) {
          read += 1;
          yield Buffer.from(tail.slice(i, i + 65_536));
        }
      })(),
    );
    let caught: unknown;
    try {
      for await (const row of readRecipientCsv(source)) void row;
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CSV_MALFORMED' });
    expect((caught as Error).message).toMatch(/^line 2: /);
    expect(read).toBeLessThan(40); // of 80 chunks: refused long before the end (streams read a little ahead)
  });

  it('reads a file of any length holding only a bounded part of it: the source waits for the reader', async () => {
    // Rows at the LMS limit, as in the largest upload; the reader takes one row at a time, slowly.
    const content = 'x'.repeat(2000);
    const rowCount = 1_000; // 2 MB
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        yield Buffer.from('to,content\n');
        for (let i = 0; i < rowCount; i++) {
          const row = Buffer.from(`010${String(i).padStart(8, '0')},${content}\n`);
          pulled += row.length;
          yield row;
        }
      })(),
    );
    let consumed = 0;
    let aheadAtMost = 0;
    let count = 0;
    for await (const row of readRecipientCsv(source)) {
      if (row.kind !== 'recipient') throw new Error(`line ${row.line}: ${row.kind}`);
      consumed += row.to.length + 1 + (row.content?.length ?? 0) + 1;
      aheadAtMost = Math.max(aheadAtMost, pulled - consumed);
      count += 1;
      // the reader is slower than the source: a macrotask per row, so the source could run ahead if allowed
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(count).toBe(rowCount);
    // what is read but not yet taken stays within the streams’ buffers (~25 rows), not the 2 MB file
    expect(aheadAtMost).toBeLessThan(256 * 1024);
  });

  it('refuses a file without a usable header', async () => {
    expect((await refusal('phone,content\n010-1,a\n')).code).toBe('CSV_HEADER_REQUIRED');
    expect((await refusal('hello\n010-1\n')).code).toBe('CSV_HEADER_REQUIRED');
    expect((await refusal('to,name\n010-1,a\n')).code).toBe('CSV_UNKNOWN_COLUMN');
    expect((await refusal('to,TO\n010-1,a\n')).code).toBe('CSV_DUPLICATE_COLUMN');
  });

  it('yields nothing for an empty file, a BOM alone or a header alone', async () => {
    expect(await rows('')).toEqual([]);
    expect(await rows(Buffer.from([0xef, 0xbb, 0xbf]))).toEqual([]);
    expect(await rows('to,content\r\n\r\n')).toEqual([]);
  });

  it('refuses a row whose cell holds a NUL (PostgreSQL cannot store it) by line, and keeps the others', async () => {
    const read = await rows('to,content\n010-1111-2222,a\u0000b\n010-3333-4444,ok\n');
    expect(read).toEqual([
      expect.objectContaining({ kind: 'malformed', line: 2, code: 'INVALID_CHARACTER', field: 'content' }),
      expect.objectContaining({ kind: 'recipient', line: 3, to: '010-3333-4444' }),
    ]);
  });
});
