import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  FINAL_STATES,
  MESSAGE_STATES,
  STATUS_OF_STATE,
  stateList,
  toState,
  toStateOf,
} from './message-states';

describe('the state → status table', () => {
  it('shows READY before the send, PROCESSING while the vendor has it, COMPLETED once final', () => {
    const showing = (status: string) => MESSAGE_STATES.filter((s) => STATUS_OF_STATE[s] === status);
    expect(showing('READY')).toEqual(['RESERVED', 'QUEUED']);
    expect(showing('PROCESSING')).toEqual(['SENDING', 'SENT']);
    expect(MESSAGE_STATES).toHaveLength(10);
    expect(FINAL_STATES).toEqual(['DELIVERED', 'FAILED', 'BLOCKED', 'REJECTED', 'EXPIRED', 'CANCELED']);
  });

  it('writes the status of the table in every SET clause it builds', () => {
    for (const state of MESSAGE_STATES)
      expect(toState(state)).toBe(`state = '${state}', status = '${STATUS_OF_STATE[state]}'`);
    const perRow = toStateOf('v.state');
    expect(perRow.startsWith('state = v.state, status = CASE v.state ')).toBe(true);
    for (const state of MESSAGE_STATES)
      expect(perRow).toContain(`WHEN '${state}' THEN '${STATUS_OF_STATE[state]}'`);
    expect(stateList(['SENDING', 'QUEUED'])).toBe(`('SENDING', 'QUEUED')`);
  });
});

/** Every .ts file under `dir` (tests excluded). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('one owner of the message lifecycle', () => {
  it('has no statement outside src/lifecycle that updates messages or spells a state → status pair', () => {
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    for (const file of sources(root)) {
      const path = relative(root, file);
      if (path.startsWith('lifecycle/') || path.startsWith('database/migrations/')) continue;
      const text = readFileSync(file, 'utf8');
      if (/UPDATE\s+messages\b/i.test(text) || /\bstate\s*=\s*'[A-Z]+'\s*,\s*status\s*=/i.test(text))
        offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
