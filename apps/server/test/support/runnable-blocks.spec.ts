import { describe, expect, it } from '@jest/globals';
import { codeFences, runnableBlocks } from './runnable-blocks';

describe('runnableBlocks', () => {
  it('takes only sh/bash/shell fences marked runnable, with the line of each opening fence', () => {
    const md = [
      '# T',
      '```sh',
      'echo placeholder <id>',
      '```',
      '```sh runnable',
      'echo one',
      'echo two',
      '```',
      '````bash runnable',
      'echo "```"',
      '````',
      '```js',
      '```sh runnable',
      '```',
      '~~~shell runnable',
      'true',
      '~~~',
    ].join('\n');
    expect(runnableBlocks(md)).toEqual([
      { line: 5, code: 'echo one\necho two\n' },
      { line: 9, code: 'echo "```"\n' },
      { line: 15, code: 'true\n' },
    ]);
  });

  it('refuses a runnable block that never closes', () => {
    expect(() => runnableBlocks('```sh runnable\necho x\n')).toThrow(/line 1 never closes/);
  });
});

describe('codeFences', () => {
  it('marks each code fence runnable, by the comment before it, or not at all', () => {
    const md = [
      '```sh runnable',
      'true',
      '```',
      '<!-- not-runnable: starts a server that never ends -->',
      '',
      '```sh',
      'npm start',
      '```',
      '<!-- runnable-example: pack-install -->',
      '```js',
      'console.log(1)',
      '```',
      '```ts',
      '```sh inside',
      '```',
      'text',
      '```json',
      '{}',
      '```',
      '<!-- not-runnable: -->',
      '```bash',
      '```',
    ].join('\n');
    expect(codeFences(md)).toEqual([
      { line: 1, info: 'sh runnable', mark: 'runnable' },
      { line: 6, info: 'sh', mark: 'not-runnable: starts a server that never ends' },
      { line: 10, info: 'js', mark: 'runnable-example: pack-install' },
      { line: 13, info: 'ts', mark: undefined },
      { line: 21, info: 'bash', mark: undefined },
    ]);
  });
});
