#!/usr/bin/env node
// No link in the repository points outside it: every relative link of every tracked Markdown file must name a
// file or folder inside the repository that exists, and no tracked file may refer to the steering folder
// (`../shared/…`) that a reader of the repository does not have. Web links (http, https, mailto) are not checked.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
const problems = [];

// [text](target) and [text](target "title"); images too
const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const OUTSIDE_FOLDER = /(?:\.\.\/)+shared\/|\/work\/shared/;

for (const file of tracked) {
  if (!existsSync(join(root, file))) continue;
  if (/\.(png|jpe?g|gif|ico|woff2?|tgz|gz)$/i.test(file) || file === 'pnpm-lock.yaml') continue;
  const text = readFileSync(join(root, file), 'utf8');
  if (file !== 'scripts/check-links.mjs' && OUTSIDE_FOLDER.test(text))
    problems.push(`${file}: refers to a shared/ folder outside the repository`);
  if (!file.endsWith('.md')) continue;
  for (const [, target] of text.matchAll(MARKDOWN_LINK)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    const path = resolve(root, dirname(file), decodeURIComponent(target.split('#')[0]));
    const inside = relative(root, path);
    if (inside.startsWith('..')) problems.push(`${file}: link ${target} points outside the repository`);
    else if (!existsSync(path)) problems.push(`${file}: link ${target} names nothing that exists`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `links: ${tracked.filter((f) => f.endsWith('.md')).length} Markdown files, every relative link inside the repository`,
);
