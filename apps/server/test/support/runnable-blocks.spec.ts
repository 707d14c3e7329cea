import { describe, expect, it } from '@jest/globals';
import { runnableBlocks } from './runnable-blocks';

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
