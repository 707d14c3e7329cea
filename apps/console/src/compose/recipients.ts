/** A pasted list: one recipient per line (commas, semicolons and tabs also separate), blanks dropped. */
export function parseRecipientList(text: string): string[] {
  return text
    .split(/[\n\r,;\t]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Recipients as the bulk endpoint's CSV (header `to`): a pasted list over 1,000 goes through the bulk path. */
export function recipientsCsv(numbers: readonly string[]): string {
  return (
    [
      'to',
      ...numbers.map((number) => (/[",\n]/.test(number) ? `"${number.replace(/"/g, '""')}"` : number)),
    ].join('\n') + '\n'
  );
}

/**
 * The `to` column of a recipients CSV (or every line, when it has no header), for the dry-run preview of an
 * imported file. Quoted cells are read; a line break inside quotes is not (the server's parser is the judge
 * at upload, and refuses such lines by number).
 */
export function csvRecipients(text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const cells = (line: string): string[] => {
    const out: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(cell);
        cell = '';
      } else cell += c;
    }
    out.push(cell);
    return out.map((value) => value.trim());
  };
  const header = cells(lines[0] ?? '').map((name) => name.toLowerCase());
  const column = header.indexOf('to');
  if (column < 0) return lines.map((line) => cells(line)[0] ?? '');
  return lines.slice(1).map((line) => cells(line)[column] ?? '');
}
