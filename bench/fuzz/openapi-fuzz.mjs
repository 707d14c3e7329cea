// A fuzz of the whole HTTP API driven by the OpenAPI document the service serves (/docs-json): fast-check
// generates requests for every operation — bodies from each operation's schema, mostly valid, mutated with hostile
// values (NUL and unpaired surrogates, huge and deep values, wrong types, unknown fields), wrong media types and
// broken multipart, random path and query values, missing or wrong keys — and sends them concurrently.
// It records every 5xx and every 4xx whose body is not the error shape {statusCode, code, message, field?}.
// Used by the server's e2e test (a few thousand requests) and by `pnpm bench --fuzz` (20,000 or more).
import { Buffer } from 'node:buffer';
import fc from 'fast-check';

// Node's own fetch (undici), also inside jest, where this module is compiled to CommonJS.
const { fetch } = globalThis;

/** Strings chosen to break things: NUL, unpaired surrogates, control and wide characters, SQL and path text. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '😀',
    '\u202e',
    "'; DROP TABLE messages; --",
    '../../etc/passwd',
    '%00',
    '%',
    '\\',
    '{}',
    '',
    ' ',
    '\r\n',
    '010-1234-5678',
    '+14155550123',
    '9'.repeat(40),
    '광고',
    '(광고)',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.nat({ max: 5_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value, small, with hostile strings among the ordinary ones. */
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 8 }), hostileString, fc.constantFrom('__proto__', 'constructor')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

function resolve(document, schema) {
  let current = schema;
  for (let i = 0; current?.$ref && i < 10; i++) {
    const name = current.$ref.split('/').pop();
    current = document.components?.schemas?.[name];
  }
  return current ?? {};
}

/** A value the schema accepts (roughly), or — with `mutation` odds — something hostile in its place. */
function fromSchema(document, schema, depth = 0) {
  const resolved = resolve(document, schema);
  // OpenAPI 3.1: `type` may be a list (`['string', 'null']`), `examples` a list.
  const type = Array.isArray(resolved.type) ? resolved.type.find((t) => t !== 'null') : resolved.type;
  const s = { ...resolved, type, example: resolved.example ?? resolved.examples?.[0] };
  let valid;
  if (s.enum) valid = fc.constantFrom(...s.enum);
  else if (s.type === 'object' || s.properties) {
    const properties = Object.entries(s.properties ?? {});
    const required = new Set(s.required ?? []);
    const record = {};
    for (const [name, property] of properties)
      record[name] = depth > 4 ? junk : fromSchema(document, property, depth + 1);
    valid = fc.record(record, { requiredKeys: properties.map(([n]) => n).filter((n) => required.has(n)) });
  } else if (s.type === 'array') {
    valid = fc.array(depth > 4 ? junk : fromSchema(document, s.items ?? {}, depth + 1), {
      maxLength: Math.min(s.maxItems ?? 3, 3),
    });
  } else if (s.type === 'integer') valid = fc.integer({ min: s.minimum ?? -10, max: s.maximum ?? 1000 });
  else if (s.type === 'number') valid = fc.double({ noNaN: true });
  else if (s.type === 'boolean') valid = fc.boolean();
  else if (s.type === 'string') {
    const examples = [s.example, s.default].filter((e) => typeof e === 'string');
    valid = fc.oneof(
      ...(examples.length ? [fc.constantFrom(...examples)] : []),
      s.format === 'date-time'
        ? fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
        : fc.string({ maxLength: s.maxLength ?? 30 }),
    );
  } else valid = junk;
  return fc.oneof(
    { arbitrary: valid, weight: 8 },
    { arbitrary: junk, weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** A JSON text nested `levels` deep (arrays or objects). */
const deepJson = fc
  .tuple(fc.integer({ min: 33, max: 20_000 }), fc.boolean())
  .map(([levels, arrays]) =>
    arrays ? '['.repeat(levels) + ']'.repeat(levels) : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels),
  );

const multipartBody = fc
  .record({
    boundary: fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 300 }).filter((b) => !/[\s;"]/.test(b)),
    ),
    name: fc.constantFrom('file', 'recipients', 'request', 'other'),
    content: fc.oneof(hostileString, fc.constant('to\n010-1234-5678\n'), fc.constant('"unclosed,quote\n')),
    truncate: fc.boolean(),
  })
  .map(({ boundary, name, content, truncate }) => {
    const b = boundary ?? 'fuzz';
    const whole = `--${b}\r\nContent-Disposition: form-data; name="${name}"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${b}--\r\n`;
    return {
      contentType:
        boundary === undefined ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}`,
      body: truncate ? whole.slice(0, Math.floor(whole.length / 2)) : whole,
    };
  });

/** Every operation of the document: method, path template, parameters, JSON body schema. */
export function operationsOf(document) {
  const operations = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        jsonSchema: operation.requestBody?.content?.['application/json']?.schema,
        multipart: Boolean(operation.requestBody?.content?.['multipart/form-data']) || path.endsWith('/bulk'),
      });
    }
  }
  return operations;
}

/** Percent-encodes the UTF-8 bytes (an unpaired surrogate becomes U+FFFD, as a client library would send it). */
function percentEncode(value) {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Path segments sent as they are: invalid UTF-8, NUL, dot segments. */
const rawSegment = fc.constantFrom('%FF', '%C0%AF', '%00', '%ED%A0%80', '..', '.', '%2F', '%25');

const paramValue = fc
  .oneof(
    { arbitrary: fc.uuid(), weight: 3 },
    { arbitrary: hostileString, weight: 3 },
    { arbitrary: fc.integer().map(String), weight: 1 },
    { arbitrary: fc.constantFrom('a', 'ABC123', '0'), weight: 1 },
  )
  .map(percentEncode);

/** One request for one operation. */
function requestFor(document, operation) {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const body = fc.oneof(
    {
      arbitrary: (operation.jsonSchema ? fromSchema(document, operation.jsonSchema) : junk).map((value) => ({
        contentType: 'application/json',
        body: value === undefined ? undefined : JSON.stringify(value),
      })),
      weight: 12,
    },
    {
      arbitrary: junk.map((value) => ({
        contentType: 'application/json',
        body: JSON.stringify(value) ?? 'null',
      })),
      weight: 2,
    },
    { arbitrary: deepJson.map((text) => ({ contentType: 'application/json', body: text })), weight: 1 },
    {
      arbitrary: fc
        .string({ maxLength: 50 })
        .map((text) => ({ contentType: 'application/json', body: text })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/xml',
            'application/octet-stream',
            'application/json; charset=utf-16',
          ),
          junk,
        )
        .map(([contentType, value]) => ({ contentType, body: JSON.stringify(value) ?? '' })),
      weight: 2,
    },
    { arbitrary: multipartBody, weight: operation.multipart ? 8 : 1 },
  );
  return fc.record({
    operation: fc.constant(operation),
    path: fc
      .tuple(
        ...pathParams.map(() =>
          fc.oneof({ arbitrary: paramValue, weight: 6 }, { arbitrary: rawSegment, weight: 1 }),
        ),
      )
      .map((values) => {
        let path = operation.path;
        pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i])));
        return path;
      }),
    query: fc.array(
      fc.tuple(
        queryParams.length
          ? fc.oneof(fc.constantFrom(...queryParams.map((p) => p.name)), fc.string({ maxLength: 6 }))
          : fc.string({ maxLength: 6 }),
        fc.oneof(
          hostileString,
          fc.integer().map(String),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom('true', 'false', '10', 'DELIVERED'),
        ),
      ),
      { maxLength: 3 },
    ),
    auth: fc.constantFrom('project', 'project', 'project', 'project', 'operator', 'none', 'garbage'),
    idempotencyKey: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), { freq: 4 }),
    body:
      operation.method === 'GET' || operation.method === 'DELETE'
        ? fc.constant({ contentType: undefined, body: undefined })
        : body,
  });
}

/** Is `body` the one error shape for `status`? */
export function isErrorShape(body, status) {
  return (
    typeof body === 'object' &&
    body !== null &&
    body.statusCode === status &&
    typeof body.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(body.code) &&
    typeof body.message === 'string' &&
    body.message.length > 0 &&
    (body.field === undefined || typeof body.field === 'string')
  );
}

/**
 * Sends `runs` generated requests (`concurrency` at a time) to `baseUrl`. Returns counts per status and the
 * failures (5xx, or a 4xx not in the error shape), each with the request that caused it.
 */
export async function fuzzService({
  baseUrl,
  projectKey,
  operatorKey,
  runs,
  seed = 1,
  concurrency = 8,
  onProgress,
}) {
  const document = await (await fetch(`${baseUrl}/docs-json`)).json();
  const operations = operationsOf(document);
  const arbitrary = fc.oneof(...operations.map((operation) => requestFor(document, operation)));
  const samples = fc.sample(arbitrary, { numRuns: runs, seed });
  const byStatus = {};
  const failures = [];
  let notReady = 0;
  let next = 0;
  let done = 0;
  async function send(sample) {
    const headers = {};
    if (sample.auth === 'project') headers.authorization = `Bearer ${projectKey}`;
    if (sample.auth === 'operator') headers.authorization = `Bearer ${operatorKey}`;
    if (sample.auth === 'garbage') headers.authorization = 'Bearer mk_live_not-a-key';
    if (sample.idempotencyKey !== null) headers['idempotency-key'] = sample.idempotencyKey;
    if (sample.body.contentType) headers['content-type'] = sample.body.contentType;
    const query = sample.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
    const url = `${baseUrl}${sample.path}${query ? `?${query}` : ''}`;
    let response;
    try {
      response = await fetch(url, { method: sample.operation.method, headers, body: sample.body.body });
    } catch (error) {
      // fetch itself refuses some header values (it never sent them): not the service's doing.
      if (error instanceof TypeError && !error.cause) return;
      failures.push({ request: describe(sample), error: String(error?.cause ?? error) });
      return;
    }
    const text = await response.text();
    byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    // Readiness reports the dependencies (a vendor endpoint slow under load), not the request: counted apart.
    if (sample.operation.path === '/health/ready' && response.status === 503 && body?.code === 'NOT_READY') {
      notReady += 1;
      return;
    }
    if (response.status >= 500 || (response.status >= 400 && !isErrorShape(body, response.status))) {
      failures.push({ request: describe(sample), status: response.status, body: text.slice(0, 300) });
    }
  }
  async function worker() {
    while (next < samples.length) {
      const sample = samples[next++];
      await send(sample);
      done++;
      if (onProgress && done % 1000 === 0) onProgress(done);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ready = await fetch(`${baseUrl}/health/ready`);
  return { requests: samples.length, byStatus, failures, notReady, readyAfter: ready.status };
}

function describe(sample) {
  const body = sample.body.body;
  return {
    method: sample.operation.method,
    path: sample.path,
    query: sample.query,
    auth: sample.auth,
    contentType: sample.body.contentType,
    body:
      typeof body === 'string' && body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars)` : body,
  };
}
