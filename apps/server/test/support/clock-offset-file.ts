import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * The offset (ms) of a shifted test clock, shared with child processes through a file (schedules-processes:
 * the test moves both processes to an occurrence together).
 *
 * Written whole or not at all: `writeFileSync` truncates the file before it writes, and a child reading in
 * between read an empty file, took offset 0 — the real wall clock, months past the test's occurrence — and its
 * schedule runner recorded the due occurrences STALE, never to be sent (the test then waited its full 300 s:
 * "timed out waiting; last answer: false"). The new contents go to a file of their own, renamed over the old one.
 */
export function writeClockOffset(file: string, offsetMs: number): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, String(offsetMs));
  renameSync(staging, file);
}

/** The offset in the file, or `previous` when it holds none (missing, empty, not a number). */
export function readClockOffset(file: string, previous: number): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return previous;
  }
  const offset = Number(text);
  return text !== '' && Number.isFinite(offset) ? offset : previous;
}
