import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readClockOffset, writeClockOffset } from './clock-offset-file';

/** Reads the file in a loop on its own thread until told to stop; answers the reads and those with no number. */
const READER = `
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stop);
let reads = 0;
const torn = [];
while (Atomics.load(stop, 0) === 0) {
  const text = readFileSync(workerData.file, 'utf8');
  reads += 1;
  if (!/^-?\\d+$/.test(text) && torn.length < 5) torn.push(text);
}
parentPort.postMessage({ reads, torn });
`;

describe('the shared clock offset file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'munja-clock-offset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is never seen empty or half-written by a reader while it is rewritten', async () => {
    const file = join(dir, 'offset');
    writeClockOffset(file, -13_795_200_000);
    const stop = new SharedArrayBuffer(4);
    const reader = new Worker(READER, { eval: true, workerData: { file, stop } });
    const result = new Promise<{ reads: number; torn: string[] }>((resolve, reject) => {
      reader.once('message', resolve);
      reader.once('error', reject);
    });
    await new Promise((resolve) => reader.once('online', resolve));
    // writeFileSync in place was seen empty by most reads that overlapped it (a child then ran on the wall clock)
    const until = Date.now() + 500;
    for (let n = 0; Date.now() < until; n += 1) writeClockOffset(file, -13_795_200_000 - (n % 1000));
    Atomics.store(new Int32Array(stop), 0, 1);
    const { reads, torn } = await result;
    expect(reads).toBeGreaterThan(0);
    expect(torn).toEqual([]);
  });

  it('keeps the previous offset when the file holds none', () => {
    const file = join(dir, 'reader');
    expect(readClockOffset(file, 7)).toBe(7); // missing
    writeFileSync(file, '');
    expect(readClockOffset(file, 7)).toBe(7);
    writeFileSync(file, 'garbage');
    expect(readClockOffset(file, 7)).toBe(7);
    writeFileSync(file, '-3600000\n');
    expect(readClockOffset(file, 7)).toBe(-3_600_000);
    writeFileSync(file, '0');
    expect(readClockOffset(file, 7)).toBe(0);
  });
});
