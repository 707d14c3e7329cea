import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { codeFences, readmes } from './support/runnable-blocks';

const ROOT = join(__dirname, '../../..');

// Every command or code example in every README is run by a test or says why not, so none can rot unseen:
// `sh runnable` blocks run against `npm start` (test/readme-commands.e2e.spec.ts), `<!-- runnable-example -->`
// scripts against the packed packages (scripts/pack-install/run.mjs), the rest carry `<!-- not-runnable: why -->`.
describe('README code blocks', () => {
  const fences = readmes(ROOT).flatMap((file) =>
    codeFences(readFileSync(file, 'utf8')).map((fence) => ({
      where: `${relative(ROOT, file)}:${fence.line}`,
      ...fence,
    })),
  );

  it('finds code blocks, some of them run', () => {
    expect(fences.filter((f) => f.mark === 'runnable').length).toBeGreaterThan(3);
    expect(fences.filter((f) => f.mark?.startsWith('runnable-example')).length).toBeGreaterThan(3);
  });

  it('every one is run by a test or says why not', () => {
    expect(fences.filter((f) => f.mark === undefined).map((f) => `${f.where} \`\`\`${f.info}`)).toEqual([]);
  });

  it('a runnable-example is a js script (what the pack-install test takes)', () => {
    expect(
      fences.filter((f) => f.mark?.startsWith('runnable-example') && f.info !== 'js').map((f) => f.where),
    ).toEqual([]);
  });
});
