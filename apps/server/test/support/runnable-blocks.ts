import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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

/** A fenced block of code a reader might run (sh/bash/shell/js/ts …) and what the README says of it. */
export interface CodeFence {
  line: number;
  info: string;
  /** how it is run, or why not: `runnable` (the README test), `runnable-example` (the pack-install test), `not-runnable: …` */
  mark: string | undefined;
}

const CODE_LANGUAGES = /^(sh|bash|shell|console|js|mjs|cjs|javascript|ts|mts|cts|typescript)\b/;

/**
 * Every fence of code a reader might run, with its mark: the fence's own `runnable`, or an HTML comment on the
 * line before it (blank lines between allowed): `<!-- runnable-example … -->` (a package README's script the
 * pack-and-install test runs against the packed package) or `<!-- not-runnable: <why> -->`.
 */
export function codeFences(markdown: string): CodeFence[] {
  const lines = markdown.split('\n');
  const fences: CodeFence[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const opening = /^\s*(`{3,}|~{3,})\s*(.*)$/.exec(line);
    if (!opening) {
      if (line.trim() !== '') previous = line.trim();
      continue;
    }
    const info = opening[2]!.trim();
    if (CODE_LANGUAGES.test(info)) {
      const comment = /^<!--\s*((?:runnable-example|not-runnable:\s*\S).*?)\s*-->$/.exec(previous)?.[1];
      const mark = /\brunnable\s*$/.test(info) ? 'runnable' : comment;
      fences.push({ line: i + 1, info, mark });
    }
    for (i += 1; i < lines.length && !closes(lines[i] ?? '', opening[1]!); i += 1);
    previous = '';
  }
  return fences;
}

/** Every README of the repository (the root's, the apps', the packages', the examples' and those in sources). */
export function readmes(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'README.md') found.push(path);
    }
  };
  walk(root);
  return found.sort();
}
