import type { Test } from 'supertest';
import { CALLING_NUMBER, type SendingProject } from './messages-fixtures';
import type { TestApp } from './test-app';

/** The common fields of a bulk send, with the defaults tests vary from. */
export function bulkFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { from: CALLING_NUMBER, content: '안녕하세요', ...overrides };
}

/** POST /v1/messages/bulk: the `request` part, then the CSV (or the file first, to test the order rule). */
export function postBulk(
  t: TestApp,
  project: SendingProject,
  fields: Record<string, unknown>,
  csv: string | Buffer,
  options: { idempotencyKey?: string; fileFirst?: boolean } = {},
): Test {
  let request = t.http.post('/v1/messages/bulk').set(project.auth);
  if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
  const file = typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv;
  const attach = (r: Test): Test =>
    r.attach('recipients', file, { filename: 'recipients.csv', contentType: 'text/csv' });
  if (options.fileFirst) return attach(request).field('request', JSON.stringify(fields));
  return attach(request.field('request', JSON.stringify(fields)));
}

/** A header and `count` distinct domestic numbers from 010-5000-0000 on, one per line. */
export function numbersCsv(count: number, header = 'to'): Buffer {
  const lines = [header];
  for (let i = 0; i < count; i++) lines.push(`0105${String(i).padStart(7, '0')}`);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}
