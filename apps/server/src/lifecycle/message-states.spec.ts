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

/** Files allowed to write the lifecycle's tables outside src/lifecycle, and why. */
const ALLOWED: Readonly<Record<string, string>> = {
  // fixtures for the history EXPLAIN test and bench at volume (never used by the service)
  'retention/synthetic-history.ts': 'synthetic rows with their queue and awaiting rows',
};

/** A statement that writes message state: the outcome columns of messages, or the queue and awaiting tables. */
const WRITES_STATE = [
  /UPDATE\s+messages\b/i,
  /\bstate\s*=\s*'[A-Z]+'\s*,\s*status\s*=/i,
  /(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(message_queue|awaiting_reports)\b/i,
  /INSERT\s+INTO\s+messages\b/i,
];

describe('one owner of the message lifecycle', () => {
  it('has no statement outside src/lifecycle that writes messages, their queue or awaiting rows', () => {
    const root = join(__dirname, '..');
    const offenders: string[] = [];
    for (const file of sources(root)) {
      const path = relative(root, file);
      if (path.startsWith('lifecycle/') || path.startsWith('database/migrations/') || ALLOWED[path]) continue;
      const text = readFileSync(file, 'utf8');
      if (WRITES_STATE.some((pattern) => pattern.test(text))) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });

  it('catches each kind of write it looks for', () => {
    for (const statement of [
      `UPDATE messages SET x = 1`,
      `SET state = 'SENT', status = 'PROCESSING'`,
      `DELETE FROM message_queue q`,
      `INSERT INTO awaiting_reports (plugin_id)`,
      `update awaiting_reports set sent_at = now()`,
      `INSERT INTO messages (id)`,
    ])
      expect(WRITES_STATE.some((pattern) => pattern.test(statement))).toBe(true);
    expect(WRITES_STATE.some((pattern) => pattern.test(`SELECT 1 FROM message_queue`))).toBe(false);
  });
});
