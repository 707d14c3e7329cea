// `pnpm bench --bulk-memory`: how much resident memory a CSV bulk upload adds to the service process. The upload
// is streamed from a generator (the bench never holds the file), and the service's peak (VmHWM, reset before
// each case through /proc/<pid>/clear_refs) is compared with its resident memory just before the upload.
//
// Cases: the largest file the service takes — MAX recipients, each with its own content at the LMS byte limit —
// and a malformed 100 MB file (a quote opened on line 2 and never closed, then rows to 100 MB). Target: each
// within +100 MB.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { undici } from '../workspace.mjs';
import { recipient } from '../service-client.mjs';

/** A bulk send's recipients at most (apps/server/src/bulk/bulk-send.service.ts, MAX_BULK_RECIPIENTS). */
export const MAX_BULK_RECIPIENTS = 100_000;
/** The longest LMS content, in bytes (the SENS limit profile): every row personalised to the limit. */
const LMS_BYTES = 2000;

function statusKb(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** Peak resident memory from now on: the kernel's high-water mark, reset (Linux ≥ 4.0). */
function resetPeak(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** A multipart body: the `request` part, then `recipients` as the lines `rows` yields, in 64 KB chunks. */
async function* multipart(boundary, request, rows) {
  yield Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify(request)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="recipients"; filename="recipients.csv"\r\n` +
      'Content-Type: text/csv\r\n\r\n',
  );
  let chunk = '';
  for (const line of rows) {
    chunk += line;
    if (chunk.length >= 65_536) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(`${chunk}\r\n--${boundary}--\r\n`);
}

async function upload(client, project, pid, rows) {
  // a settled process: what the previous case left has been collected
  await sleep(2000);
  const beforeKb = statusKb(pid, 'VmRSS');
  resetPeak(pid);
  const boundary = `munja${randomBytes(8).toString('hex')}`;
  let bytes = 0;
  const counted = async function* () {
    for await (const chunk of multipart(
      boundary,
      { from: project.from, content: '이번 달 명세서입니다.' },
      rows,
    )) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  const started = performance.now();
  const response = await undici.request(`${client.baseUrl}/v1/messages/bulk`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${project.key}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body: counted(),
    bodyTimeout: 600_000,
    headersTimeout: 600_000,
  });
  const answer = JSON.parse(await response.body.text());
  const seconds = (performance.now() - started) / 1000;
  const peakKb = statusKb(pid, 'VmHWM');
  return {
    status: response.statusCode,
    answer,
    seconds: Number(seconds.toFixed(1)),
    uploadMb: Number((bytes / 1024 / 1024).toFixed(1)),
    rssBeforeMb: Number((beforeKb / 1024).toFixed(1)),
    peakMb: Number((peakKb / 1024).toFixed(1)),
    deltaMb: (peakKb - beforeKb) / 1024,
  };
}

/** MAX_BULK_RECIPIENTS rows, each with its own content of LMS_BYTES bytes (ASCII). */
function* largestFile(recipients) {
  yield 'to,content\n';
  const content = 'x'.repeat(LMS_BYTES - 8);
  for (let i = 0; i < recipients; i++) yield `${recipient(6, i)},${String(i).padStart(8, '0')}${content}\n`;
}

/** A quote opened on line 2 and never closed, then ordinary rows to `megabytes`. */
function* malformedFile(megabytes) {
  yield 'to,content\n010-1234-5678,"this quote is never closed\n';
  const row = '010-1234-5678,hello there\n';
  for (let bytes = 0; bytes < megabytes * 1024 * 1024; bytes += row.length) yield row;
}

export async function bulkMemoryFigures(
  service,
  { recipients = MAX_BULK_RECIPIENTS, malformedMb = 100 } = {},
) {
  const { client, project, pid } = service;
  const largest = await upload(client, project, pid, largestFile(recipients));
  if (largest.status !== 202)
    throw new Error(`largest CSV: ${largest.status} ${JSON.stringify(largest.answer).slice(0, 300)}`);
  const malformed = await upload(client, project, pid, malformedFile(malformedMb));
  if (malformed.status !== 422 || malformed.answer.code !== 'CSV_MALFORMED')
    throw new Error(`malformed CSV: ${malformed.status} ${JSON.stringify(malformed.answer).slice(0, 300)}`);
  const line = (figure, run, details) => ({
    figure,
    value: run.deltaMb,
    unit: 'MB',
    target: 100,
    atMost: true,
    ...details,
    uploadMb: run.uploadMb,
    rssBeforeMb: run.rssBeforeMb,
    peakMb: run.peakMb,
    seconds: run.seconds,
  });
  return [
    line('bulk_memory_largest_csv', largest, {
      recipients,
      contentBytes: LMS_BYTES,
      accepted: largest.answer.accepted,
    }),
    line('bulk_memory_malformed_csv', malformed, { answer: malformed.answer.code }),
  ];
}
