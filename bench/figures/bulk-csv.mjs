// Accepted recipients/s for one CSV bulk: POST /v1/messages/bulk, multipart with the `request` part (the
// common send fields as JSON) first, then the `recipients` CSV file. Timed from the first byte sent to the 202.
import { Blob, Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { recipient } from '../service-client.mjs';
import { undici } from '../workspace.mjs';

export const BULK_SERIES = 5;

export function recipientsCsv(count) {
  const lines = ['to'];
  for (let i = 0; i < count; i++) lines.push(recipient(BULK_SERIES, i));
  return `${lines.join('\n')}\n`;
}

export async function uploadBulk(client, project, count) {
  const csv = recipientsCsv(count);
  const form = new undici.FormData();
  form.append(
    'request',
    JSON.stringify({ from: project.from, content: '안녕하세요 고객님, 이번 달 명세서입니다.' }),
  );
  form.append('recipients', new Blob([csv], { type: 'text/csv' }), 'recipients.csv');
  const started = performance.now();
  const answer = await client.call('POST', '/v1/messages/bulk', project.key, form);
  const acceptedAt = performance.now();
  return { answer, started, acceptedAt, csvBytes: Buffer.byteLength(csv) };
}
