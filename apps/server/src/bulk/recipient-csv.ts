import type { Readable } from 'node:stream';
import { Parser, type CsvError } from 'csv-parse';
import { ApiError } from '../common/api-error';
import { unstorableCharacter } from '../common/storable-text';

/** The columns a recipients CSV may have (header names, case-insensitive, in any order). */
export const CSV_COLUMNS = ['to', 'subject', 'content'] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** Cell bounds: the same generous bounds as the JSON send body (the real limits are the rules' bytes). */
export const CELL_LIMITS: Readonly<Record<Column, number>> = { to: 40, subject: 1_000, content: 20_000 };

/**
 * The longest record csv-parse assembles (characters): every cell at its limit plus quoting. A quote opened and
 * never closed makes the rest of the file one record; this bound stops it there instead of holding the file.
 */
export const MAX_RECORD_CHARS = 2 * (CELL_LIMITS.to + CELL_LIMITS.subject + CELL_LIMITS.content) + 64;

/** csv-parse errors after which nothing further in the file can be read reliably: the file is refused. */
const FATAL_CSV_ERRORS = new Set(['CSV_MAX_RECORD_SIZE', 'CSV_QUOTE_NOT_CLOSED']);

/** A data row of the file: its recipient, and the physical line the row starts on. */
export interface CsvRecipient {
  readonly kind: 'recipient';
  readonly line: number;
  readonly to: string;
  readonly subject?: string;
  readonly content?: string;
}

/** A data row that cannot be read as a recipient (bad quoting, wrong field count, a cell too long). */
export interface CsvMalformedRow {
  readonly kind: 'malformed';
  readonly line: number;
  readonly to: string;
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

export type CsvRow = CsvRecipient | CsvMalformedRow;

interface ParsedRecord {
  readonly record: string[];
  /** csv-parse's counts as the record ended: lines read (from 1), empty lines skipped */
  readonly lines: number;
  readonly emptyLines: number;
}
interface SkippedRecord {
  readonly skipped: CsvError;
}

/** A number list without a header (the seed's format): one number per line, digits and separators only. */
const LISTED_NUMBER = /^\+?[0-9][0-9 ()\-.]*$/;

function csvRefusal(code: string, message: string): ApiError {
  return ApiError.badRequest(code, message, 'recipients');
}

/** Header cells → column positions; refuses a first row that is neither a header with `to` nor a number. */
function readHeader(cells: readonly string[]): Column[] | null {
  const names = cells.map((c) => c.trim().toLowerCase());
  if (!names.includes('to')) {
    if (cells.length === 1 && LISTED_NUMBER.test(names[0]!)) return null;
    throw csvRefusal(
      'CSV_HEADER_REQUIRED',
      'The first row must be a header naming the columns (to, and optionally subject, content), ' +
        'or the file a list of numbers, one per line',
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      throw csvRefusal(
        'CSV_UNKNOWN_COLUMN',
        `Unknown column "${name}": the columns are to, subject, content`,
      );
    }
    if (seen.has(name)) throw csvRefusal('CSV_DUPLICATE_COLUMN', `The column "${name}" appears twice`);
    seen.add(name);
  }
  return names as Column[];
}

/** One data record → a recipient, or why it cannot be one. */
function readRow(cells: readonly string[], columns: readonly Column[] | null, line: number): CsvRow {
  const width = columns?.length ?? 1;
  const at = columns ? columns.indexOf('to') : 0;
  const to = (cells[at] ?? '').trim();
  const malformed = (code: string, field: string, message: string): CsvMalformedRow => ({
    kind: 'malformed',
    line,
    to,
    code,
    field,
    message,
  });
  if (cells.length !== width) {
    return malformed(
      'CSV_FIELD_COUNT',
      'recipients',
      columns
        ? `line ${line} has ${cells.length} fields; the header has ${width}`
        : `line ${line} has ${cells.length} fields; a list without a header has one number per line`,
    );
  }
  const values: Partial<Record<Column, string>> = {};
  for (const [i, column] of (columns ?? ['to']).entries()) {
    const value = column === 'to' ? to : cells[i]!;
    if (value.length > CELL_LIMITS[column]) {
      return malformed('TOO_LONG', column, `${column} is longer than ${CELL_LIMITS[column]} characters`);
    }
    const unstorable = unstorableCharacter(value);
    if (unstorable) {
      return malformed(
        'INVALID_CHARACTER',
        column,
        `line ${line}: ${column} contains ${unstorable}; remove it`,
      );
    }
    // An empty subject or content means the request's own, as in the JSON body.
    if (value !== '') values[column] = value;
  }
  if (values.to === undefined) return malformed('REQUIRED', 'to', `line ${line} has no recipient`);
  return { kind: 'recipient', line, to: values.to, subject: values.subject, content: values.content };
}

function occurrences(cells: readonly string[], text: string): number {
  let count = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf(text); i !== -1; i = cell.indexOf(text, i + 1)) count++;
  }
  return count;
}

/**
 * csv-parse's parser, each record pushed with the two counts this reader needs, read from the parser's running
 * `info` at the moment the record is pushed: its `info: true` option spread the counters and the options into two
 * objects of a dozen fields for every record (`__infoRecord`, `__infoDataSet`: ~8 % of a 100,000-recipient
 * upload's service CPU profile, besides the garbage). Anything else pushed (a skipped record, the end) passes as
 * it is.
 */
class CountingParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (!Array.isArray(chunk)) return super.push(chunk, encoding);
    const record: ParsedRecord = { record: chunk, lines: this.info.lines, emptyLines: this.info.empty_lines };
    return super.push(record, encoding);
  }
}

/**
 * Reads a recipients CSV as it streams in, never the whole file: RFC 4180 (quoted commas, doubled quotes,
 * newlines inside quotes) through csv-parse, UTF-8 with or without a BOM, CRLF or LF, empty and blank lines
 * skipped. Yields every data row in file order with the physical line it starts on; a row that cannot be read
 * is yielded as malformed and the rows after it still come. A file whose first row is neither a header with
 * `to` nor a number is refused (400). csv-parse's relaxed quoting keeps a stray quote inside a cell; an
 * opening quote never closed swallows the rest of the file (RFC 4180 leaves no other reading): the file is
 * refused (422 CSV_MALFORMED naming the line it starts on) as soon as the row passes MAX_RECORD_CHARS.
 */
export async function* readRecipientCsv(source: Readable): AsyncGenerator<CsvRow> {
  const parser = new CountingParser({
    bom: true,
    // Both endings, even mixed in one file (csv-parse otherwise fixes the first one it sees).
    record_delimiter: ['\r\n', '\n'],
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // csv-parse reports a skipped record synchronously while parsing: pushed into its own output, the error
  // comes out in file order among the records.
  parser.on('skip', (error: CsvError) => parser.push({ skipped: error }));
  source.pipe(parser);
  source.once('error', (error) => parser.destroy(error));

  let columns: Column[] | null | undefined;
  // Where the previous record ended, to place a skipped one (csv-parse reports the line where it gave up).
  let lastLine = 0;
  let lastEmptyLines = 0;
  // csv-parse counts a CRLF inside quotes as two lines: the physical line is its count less these.
  let overcount = 0;
  try {
    for await (const item of parser as AsyncIterable<ParsedRecord | SkippedRecord>) {
      if ('skipped' in item) {
        const { skipped } = item;
        const emptyLines = typeof skipped.empty_lines === 'number' ? skipped.empty_lines : lastEmptyLines;
        const line = lastLine + 1 + (emptyLines - lastEmptyLines);
        lastLine = typeof skipped.lines === 'number' ? skipped.lines - overcount : line;
        lastEmptyLines = emptyLines;
        if (FATAL_CSV_ERRORS.has(skipped.code)) {
          // Refused as soon as it is seen (one transaction: nothing of the file is kept).
          throw ApiError.unprocessable(
            'CSV_MALFORMED',
            `line ${line}: a quoted cell opened on this line is never closed (or the row is longer than ` +
              `${MAX_RECORD_CHARS} characters); nothing after it can be read, so the file is refused`,
            'recipients',
          );
        }
        yield {
          kind: 'malformed',
          line,
          to: '',
          code: 'CSV_MALFORMED',
          field: 'recipients',
          message: `line ${line}: ${skipped.message}`,
        };
        continue;
      }
      const { record } = item;
      overcount += occurrences(record, '\r\n');
      lastLine = item.lines - overcount;
      // A quoted cell may hold newlines: the row starts that many lines before it ends.
      const line = lastLine - occurrences(record, '\n');
      lastEmptyLines = item.emptyLines;
      if (record.every((cell) => cell.trim() === '')) continue;
      if (columns === undefined) {
        columns = readHeader(record);
        if (columns !== null) continue;
      }
      yield readRow(record, columns, line);
    }
  } finally {
    source.unpipe(parser);
    parser.destroy();
  }
}
