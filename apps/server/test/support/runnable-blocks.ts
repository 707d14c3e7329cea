export interface RunnableBlock {
  /** 1-based line of the opening fence */
  line: number;
  code: string;
}

const OPENING = /^(\s*)(`{3,}|~{3,})\s*(sh|bash|shell)\s+runnable\s*$/;

/**
 * The fenced blocks of a Markdown text whose info string is `sh runnable` (or `bash`/`shell`): the commands a
 * README promises work. Other fences, including plain `sh` ones (placeholders a reader fills in), are skipped.
 */
export function runnableBlocks(markdown: string): RunnableBlock[] {
  const lines = markdown.split('\n');
  const blocks: RunnableBlock[] = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (fence === undefined) {
      const opening = OPENING.exec(line);
      if (opening) {
        fence = opening[2];
        blocks.push({ line: i + 1, code: '' });
      } else if (/^\s*(`{3,}|~{3,})/.test(line)) {
        // any other fence: skip to its end so a runnable-looking line inside it is not taken
        const other = /^\s*(`{3,}|~{3,})/.exec(line)?.[1] ?? '```';
        for (i += 1; i < lines.length && !closes(lines[i] ?? '', other); i += 1);
      }
    } else if (closes(line, fence)) {
      fence = undefined;
    } else {
      const block = blocks[blocks.length - 1]!;
      block.code += `${line}\n`;
    }
  }
  if (fence !== undefined)
    throw new Error(`a runnable block opened at line ${blocks.at(-1)?.line} never closes`);
  return blocks;
}

/** A closing fence: only the fence's character, at least as many as it opened with (CommonMark). */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed === fence[0]!.repeat(trimmed.length);
}
