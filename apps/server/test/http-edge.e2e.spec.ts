import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** Every error answer: {statusCode, code, message, field?}. */
function expectErrorShape(body: unknown, status: number): void {
  expect(body).toEqual(
    expect.objectContaining({
      statusCode: status,
      code: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/),
      message: expect.any(String),
    }),
  );
}

/** Sends raw bytes and reads until the server closes the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the HTTP edge: no input yields a 5xx', () => {
  let t: TestApp;
  let project: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    project = await sendingProject(t, 'Edge');
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['content', sendBody({ content: 'hi\u0000there' }), 'content'],
    [
      'a recipient',
      sendBody({ messages: [{ to: '010-1111-2222', content: 'a\u0000' }] }),
      'messages[0].content',
    ],
    ['a lone surrogate', sendBody({ subject: 'x\ud800y' }), 'subject'],
  ])(
    'refuses a NUL or unpaired surrogate in %s with 400 naming the field, dry runs too',
    async (_what, body, field) => {
      for (const path of ['/v1/messages', '/v1/messages?dryRun=true']) {
        const answer = await t.http.post(path).set(project.auth).send(body).expect(400);
        expectErrorShape(answer.body, 400);
        expect(answer.body).toMatchObject({ code: 'INVALID_CHARACTER', field });
        expect(answer.body.message).toContain(field);
      }
    },
  );

  it('refuses NUL in names (operator routes), path parameters and query strings', async () => {
    const name = await t.http
      .post('/v1/projects')
      .set(t.bearer(t.operatorKey))
      .send({ name: 'a\u0000b' })
      .expect(400);
    expect(name.body).toMatchObject({ code: 'INVALID_CHARACTER', field: 'name' });
    const path = await t.http.get('/v1/schedules/%00').set(project.auth).expect(400);
    expect(path.body).toMatchObject({ code: 'INVALID_CHARACTER', field: 'code' });
    const query = await t.http.get('/v1/messages?status=%00').set(project.auth).expect(400);
    expect(query.body).toMatchObject({ code: 'INVALID_CHARACTER', field: 'status' });
  });

  it('refuses JSON nested deeper than the limit before any transformation', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const answer = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .set('Content-Type', 'application/json')
      .send(`{"from":"0212345678","content":"x","messages":${deep}}`)
      .expect(400);
    expect(answer.body).toMatchObject({ code: 'TOO_DEEP' });
    // The service is still fine.
    await t.http.post('/v1/messages?dryRun=true').set(project.auth).send(sendBody()).expect(200);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'answers a JSON route sent %s with 415 naming application/json',
    async (type) => {
      const answer = await t.http
        .post('/v1/messages')
        .set(project.auth)
        .set('Content-Type', type)
        .send(JSON.stringify(sendBody()))
        .expect(415);
      expectErrorShape(answer.body, 415);
      expect(answer.body.message).toContain('application/json');
      expect(answer.body.field).toBe('Content-Type');
    },
  );

  it('answers multipart on a JSON route with 415', async () => {
    const answer = await t.http
      .post('/v1/messages')
      .set(project.auth)
      .field('from', '0212345678')
      .expect(415);
    expect(answer.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' });
    expect(answer.body.message).toContain('application/json');
  });

  it.each(['/v1/files', '/v1/messages/bulk'])('answers broken multipart on %s with 400', async (path) => {
    const bodies: [string, string][] = [
      ['multipart/form-data', '--x\r\n'],
      ['multipart/form-data; boundary=', '--\r\n'],
      [`multipart/form-data; boundary=${'b'.repeat(300)}`, '--b\r\n'],
      // A body that ends in the middle of a part.
      [
        'multipart/form-data; boundary=zz',
        '--zz\r\nContent-Disposition: form-data; name="request"\r\n\r\n{"from":"0212',
      ],
    ];
    for (const [type, body] of bodies) {
      const answer = await t.http.post(path).set(project.auth).set('Content-Type', type).send(body);
      expect({ type, status: answer.status }).toEqual({ type, status: 400 });
      expectErrorShape(answer.body, 400);
    }
  });

  it('answers oversized headers (431) in the error shape', async () => {
    const port = Number(new URL(t.url).port);
    const answer = await rawExchange(
      port,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 431 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ statusCode: 431, code: 'HEADERS_TOO_LARGE', message: expect.any(String) });
  });
});
