import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { documentText } from '../src/openapi/write-document';
import {
  CALLING_NUMBER,
  NO_DISPATCH,
  sendBody,
  sendingProject,
  type SendingProject,
} from './messages-fixtures';
import { OpenApiContract } from './support/openapi-contract';
import { fakeJpeg } from './support/images';
import { startTestApp, type TestApp } from './test-app';
import { WebhookReceiver, waitFor } from './webhooks-receiver';

/** The contract file the client is generated from, kept equal to what the service serves. */
const CONTRACT_FILE = join(__dirname, '../../../packages/client/openapi.json');

/** Routes that take no input and refuse nothing a caller can provoke. */
const NO_REFUSAL = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];

/**
 * Each route of the served OpenAPI document called against the real service, a success and a refusal, every
 * answer validated against the document (status documented, body valid, refusal code listed). A route whose
 * answer drifts from the document fails here, and so does a route the document has and this test does not call.
 */
describe('the OpenAPI document is the contract', () => {
  let t: TestApp;
  let contract: OpenApiContract;
  let served: Record<string, unknown>;
  let p: SendingProject;
  let op: { Authorization: string };
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({
      env: { ...NO_DISPATCH, MUNJA_WEBHOOK_TICK_MS: '40', MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true' },
    });
    served = (await t.http.get('/docs-json').expect(200)).body as Record<string, unknown>;
    contract = new OpenApiContract(served);
    p = await sendingProject(t, 'Contract');
    op = t.bearer(t.operatorKey);
    receiver = await new WebhookReceiver(() => 200).start();
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  const check = async (operation: string, request: PromiseLike<Response>, status: number) => {
    const response = contract.check(operation, await request);
    if (response.status !== status) {
      throw new Error(`${operation}: expected ${status}, got ${response.status} ${response.text}`);
    }
    return response.body as Record<string, unknown> & { items?: Record<string, unknown>[] };
  };
  const nobody = '00000000-0000-4000-8000-000000000000';

  it('is OpenAPI 3.1 and the committed contract file equals it', async () => {
    expect(served.openapi).toBe('3.1.0');
    expect(contract.untypedProperties()).toEqual([]);
    const committed = await readFile(CONTRACT_FILE, 'utf8');
    if (committed !== documentText(served)) {
      throw new Error(
        'packages/client/openapi.json differs from the served document: run ' +
          '`pnpm --filter @munja/server build && pnpm --filter @munja/server openapi:write` and commit it',
      );
    }
  });

  it('projects and keys (operator)', async () => {
    const project = await check(
      'POST /v1/projects',
      t.http.post('/v1/projects').set(op).send({ name: 'C2' }),
      201,
    );
    await check('POST /v1/projects', t.http.post('/v1/projects').set(op).send({}), 400);
    await check('GET /v1/projects', t.http.get('/v1/projects').set(op), 200);
    await check('GET /v1/projects', t.http.get('/v1/projects').set(p.auth), 403);
    const keys = `/v1/projects/${project.id as string}/keys`;
    const key = await check(
      'POST /v1/projects/{projectId}/keys',
      t.http.post(keys).set(op).send({ name: 'k' }),
      201,
    );
    await check(
      'POST /v1/projects/{projectId}/keys',
      t.http.post(`/v1/projects/${nobody}/keys`).set(op).send({}),
      404,
    );
    await check('GET /v1/projects/{projectId}/keys', t.http.get(keys).set(op), 200);
    await check('GET /v1/projects/{projectId}/keys', t.http.get(keys), 401);
    await check(
      'DELETE /v1/projects/{projectId}/keys/{keyId}',
      t.http.delete(`${keys}/${key.id as string}`).set(op),
      200,
    );
    await check(
      'DELETE /v1/projects/{projectId}/keys/{keyId}',
      t.http.delete(`${keys}/${nobody}`).set(op),
      404,
    );
    await check('GET /v1/project', t.http.get('/v1/project').set(p.auth), 200);
    await check(
      'GET /v1/project',
      t.http.get('/v1/project').set(t.bearer('mk_unknown_0123456789abcdef')),
      401,
    );
  });

  it('calling numbers', async () => {
    const number = { number: '031-555-0101', method: 'DOCUMENT' };
    const created = await check(
      'POST /v1/calling-numbers',
      t.http.post('/v1/calling-numbers').set(p.auth).send(number),
      201,
    );
    await check('POST /v1/calling-numbers', t.http.post('/v1/calling-numbers').set(p.auth).send(number), 409);
    await check('GET /v1/calling-numbers', t.http.get('/v1/calling-numbers').set(p.auth), 200);
    await check('GET /v1/calling-numbers', t.http.get('/v1/calling-numbers?status=SOON').set(p.auth), 400);
    const one = `/v1/calling-numbers/${created.id as string}`;
    await check('GET /v1/calling-numbers/{id}', t.http.get(one).set(p.auth), 200);
    await check('GET /v1/calling-numbers/{id}', t.http.get(`/v1/calling-numbers/${nobody}`).set(p.auth), 404);
    const operatorList = `/v1/projects/${p.projectId}/calling-numbers`;
    await check('GET /v1/projects/{projectId}/calling-numbers', t.http.get(operatorList).set(op), 200);
    await check('GET /v1/projects/{projectId}/calling-numbers', t.http.get(operatorList).set(p.auth), 403);
    const approve = `${operatorList}/${created.id as string}/approve`;
    await check(
      'POST /v1/projects/{projectId}/calling-numbers/{id}/approve',
      t.http.post(approve).set(op),
      200,
    );
    await check(
      'POST /v1/projects/{projectId}/calling-numbers/{id}/approve',
      t.http.post(approve).set(op),
      409,
    );
    const other = await check(
      'POST /v1/calling-numbers',
      t.http.post('/v1/calling-numbers').set(p.auth).send({ number: '031-555-0102', method: 'SMS' }),
      201,
    );
    const reject = `${operatorList}/${other.id as string}/reject`;
    const rejected = await check(
      'POST /v1/projects/{projectId}/calling-numbers/{id}/reject',
      t.http.post(reject).set(op).send({ reason: 'no document' }),
      200,
    );
    expect(rejected.rejectReason).toBe('no document');
    await check(
      'POST /v1/projects/{projectId}/calling-numbers/{id}/reject',
      t.http.post(reject).set(op).send({}),
      409,
    );
  });

  it('080 opt-out service, block list and the ARS stand-in', async () => {
    const q = await sendingProject(t, 'Contract 080');
    await check('GET /v1/opt-out/service', t.http.get('/v1/opt-out/service').set(q.auth), 404);
    await check(
      'POST /v1/opt-out/service',
      t.http.post('/v1/opt-out/service').set(q.auth).send({ companyName: '문자상사' }),
      201,
    );
    await check(
      'POST /v1/opt-out/service',
      t.http.post('/v1/opt-out/service').set(q.auth).send({ companyName: '문자상사' }),
      409,
    );
    await check('GET /v1/opt-out/service', t.http.get('/v1/opt-out/service').set(q.auth), 200);
    await check(
      'POST /v1/opt-out/service/ars-token',
      t.http.post('/v1/opt-out/service/ars-token').set(q.auth),
      409,
    );
    await check(
      'POST /v1/opt-out/service/cancel',
      t.http.post('/v1/opt-out/service/cancel').set(q.auth),
      200,
    );
    await check(
      'POST /v1/opt-out/service/cancel',
      t.http.post('/v1/opt-out/service/cancel').set(q.auth),
      409,
    );
    await t.http.post('/v1/opt-out/service').set(q.auth).send({ companyName: '문자상사' }).expect(201);
    const operatorView = `/v1/projects/${q.projectId}/opt-out/service`;
    await check('GET /v1/projects/{projectId}/opt-out/service', t.http.get(operatorView).set(op), 200);
    await check('GET /v1/projects/{projectId}/opt-out/service', t.http.get(operatorView).set(q.auth), 403);
    const complete = `${operatorView}/complete`;
    await check(
      'POST /v1/projects/{projectId}/opt-out/service/complete',
      t.http.post(complete).set(op).send({ number080: '02-1' }),
      400,
    );
    await check(
      'POST /v1/projects/{projectId}/opt-out/service/complete',
      t.http.post(complete).set(op).send({ number080: '080-555-0100' }),
      200,
    );
    const token = await check(
      'POST /v1/opt-out/service/ars-token',
      t.http.post('/v1/opt-out/service/ars-token').set(q.auth),
      201,
    );

    await check(
      'POST /v1/opt-out/blocklist',
      t.http.post('/v1/opt-out/blocklist').set(q.auth).send({ number: '010-9999-0001' }),
      201,
    );
    await check(
      'POST /v1/opt-out/blocklist',
      t.http.post('/v1/opt-out/blocklist').set(q.auth).send({ number: '010-9999-0001' }),
      200,
    );
    await check(
      'POST /v1/opt-out/blocklist',
      t.http.post('/v1/opt-out/blocklist').set(q.auth).send({ number: 'call me' }),
      400,
    );
    await check('GET /v1/opt-out/blocklist', t.http.get('/v1/opt-out/blocklist').set(q.auth), 200);
    await check('GET /v1/opt-out/blocklist', t.http.get('/v1/opt-out/blocklist?size=0').set(q.auth), 400);
    await check(
      'DELETE /v1/opt-out/blocklist/{number}',
      t.http.delete('/v1/opt-out/blocklist/01099990001').set(q.auth),
      204,
    );
    await check(
      'DELETE /v1/opt-out/blocklist/{number}',
      t.http.delete('/v1/opt-out/blocklist/01099990001').set(q.auth),
      404,
    );
    await check(
      'POST /v1/opt-out/ars/{token}/calls',
      t.http.post(token.path as string).send({ callerNumber: '010-9999-0002' }),
      201,
    );
    await check(
      'POST /v1/opt-out/ars/{token}/calls',
      t.http.post(`/v1/opt-out/ars/${'x'.repeat(30)}/calls`).send({ callerNumber: '010-9999-0002' }),
      404,
    );
    await check('POST /v1/opt-out/service/stop', t.http.post('/v1/opt-out/service/stop').set(q.auth), 200);
    await check('POST /v1/opt-out/service/stop', t.http.post('/v1/opt-out/service/stop').set(q.auth), 409);
  });

  it('files', async () => {
    const upload = () => t.http.post('/v1/files').set(p.auth);
    const file = await check(
      'POST /v1/files',
      upload().attach('file', fakeJpeg(100, 100), { filename: 'a.jpg', contentType: 'image/jpeg' }),
      201,
    );
    await check('POST /v1/files', upload().send({ file: 'x' }), 400);
    await check('GET /v1/files/{fileId}', t.http.get(`/v1/files/${file.fileId as string}`).set(p.auth), 200);
    await check('GET /v1/files/{fileId}', t.http.get(`/v1/files/${nobody}`).set(p.auth), 404);
  });

  it('messages: send, dry run, history, one message, one request', async () => {
    const send = () => t.http.post('/v1/messages').set(p.auth);
    const sent = await check(
      'POST /v1/messages',
      send().send(sendBody({ messages: [{ to: '010-1111-2222' }, { to: '99' }] })),
      202,
    );
    await check('POST /v1/messages', send().query({ dryRun: 'true' }).send(sendBody()), 200);
    await check('POST /v1/messages', send().send(sendBody({ from: '0299998888' })), 422);
    await check('POST /v1/messages', send().set('Idempotency-Key', 'k 1').send(sendBody()), 400);
    await check('GET /v1/messages', t.http.get('/v1/messages').set(p.auth), 200);
    await check('GET /v1/messages', t.http.get('/v1/messages?cursor=nope').set(p.auth), 400);
    const history = await check('GET /v1/messages', t.http.get('/v1/messages?limit=1').set(p.auth), 200);
    expect(history.items).toHaveLength(1);
    const messageId = history.items![0]!.messageId as string;
    await check('GET /v1/messages/{messageId}', t.http.get(`/v1/messages/${messageId}`).set(p.auth), 200);
    await check('GET /v1/messages/{messageId}', t.http.get(`/v1/messages/${nobody}`).set(p.auth), 404);
    await check(
      'GET /v1/messages/{messageId}/reports',
      t.http.get(`/v1/messages/${messageId}/reports`).set(p.auth),
      200,
    );
    await check(
      'GET /v1/messages/{messageId}/reports',
      t.http.get(`/v1/messages/${nobody}/reports`).set(p.auth),
      404,
    );
    const request = `/v1/requests/${sent.requestId as string}`;
    await check('GET /v1/requests/{requestId}', t.http.get(request).set(p.auth), 200);
    await check('GET /v1/requests/{requestId}', t.http.get(`/v1/requests/${nobody}`).set(p.auth), 404);
    await check('GET /v1/requests/{requestId}/progress', t.http.get(`${request}/progress`).set(p.auth), 200);
    await check(
      'GET /v1/requests/{requestId}/progress',
      t.http.get(`/v1/requests/${nobody}/progress`).set(p.auth),
      404,
    );
  });

  it('bulk sends', async () => {
    const csv = 'to,content\r\n010-1234-0001,하나\r\nbad,둘\r\n';
    const bulk = () => t.http.post('/v1/messages/bulk').set(p.auth);
    await check(
      'POST /v1/messages/bulk',
      bulk()
        .field('request', JSON.stringify({ from: CALLING_NUMBER, content: 'x' }))
        .attach('recipients', Buffer.from(csv), 'r.csv'),
      202,
    );
    await check('POST /v1/messages/bulk', bulk().send({ from: CALLING_NUMBER }), 400);
    await check('GET /v1/messages/bulk/template', t.http.get('/v1/messages/bulk/template').set(p.auth), 200);
    await check('GET /v1/messages/bulk/template', t.http.get('/v1/messages/bulk/template'), 401);
  });

  it('schedules', async () => {
    const body = {
      code: 'contract-news',
      weekdays: ['MON'],
      time: '09:00',
      startDate: '2026-03-02',
      endDate: '2026-05-31',
    };
    await check('POST /v1/schedules', t.http.post('/v1/schedules').set(p.auth).send(body), 201);
    await check('POST /v1/schedules', t.http.post('/v1/schedules').set(p.auth).send(body), 409);
    await check('GET /v1/schedules', t.http.get('/v1/schedules').set(p.auth), 200);
    await check('GET /v1/schedules', t.http.get('/v1/schedules'), 401);
    const one = '/v1/schedules/contract-news';
    await check(
      'POST /v1/messages',
      t.http
        .post('/v1/messages')
        .set(p.auth)
        .send(sendBody({ scheduleCode: 'contract-news' })),
      202,
    );
    await check('GET /v1/schedules/{code}', t.http.get(one).set(p.auth), 200);
    await check('GET /v1/schedules/{code}', t.http.get('/v1/schedules/none').set(p.auth), 404);
    await check('PATCH /v1/schedules/{code}', t.http.patch(one).set(p.auth).send({ time: '10:30' }), 200);
    await check(
      'PATCH /v1/schedules/{code}',
      t.http.patch(one).set(p.auth).send({ endDate: '2027-12-31' }),
      422,
    );
    await check('GET /v1/schedules/{code}/messages', t.http.get(`${one}/messages`).set(p.auth), 200);
    await check(
      'GET /v1/schedules/{code}/messages',
      t.http.get('/v1/schedules/none/messages').set(p.auth),
      404,
    );
    await check('GET /v1/schedules/{code}/occurrences', t.http.get(`${one}/occurrences`).set(p.auth), 200);
    await check(
      'GET /v1/schedules/{code}/occurrences',
      t.http.get('/v1/schedules/none/occurrences').set(p.auth),
      404,
    );
    await check('DELETE /v1/schedules/{code}', t.http.delete(`${one}?confirmCode=other`).set(p.auth), 422);
    await check(
      'DELETE /v1/schedules/{code}',
      t.http.delete(`${one}?confirmCode=contract-news`).set(p.auth),
      200,
    );
  });

  it('reservations, webhooks and their delivery log', async () => {
    const endpoint = await check(
      'POST /v1/webhooks',
      t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: receiver.url, eventTypes: ['*'] }),
      201,
    );
    await check(
      'POST /v1/webhooks',
      t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: 'ftp://x', eventTypes: ['*'] }),
      400,
    );
    await check('GET /v1/webhooks', t.http.get('/v1/webhooks').set(p.auth), 200);
    await check('GET /v1/webhooks', t.http.get('/v1/webhooks'), 401);
    const one = `/v1/webhooks/${endpoint.id as string}`;
    await check('GET /v1/webhooks/{id}', t.http.get(one).set(p.auth), 200);
    await check('GET /v1/webhooks/{id}', t.http.get(`/v1/webhooks/${nobody}`).set(p.auth), 404);
    await check(
      'PATCH /v1/webhooks/{id}',
      t.http.patch(one).set(p.auth).send({ description: 'contract' }),
      200,
    );
    await check('PATCH /v1/webhooks/{id}', t.http.patch(one).set(p.auth).send({ eventTypes: [] }), 400);
    const testEvents = () => t.http.post('/v1/webhooks/test-events').set(p.auth);
    await check('POST /v1/webhooks/test-events', testEvents().send({ endpointId: endpoint.id }), 202);
    await check('POST /v1/webhooks/test-events', testEvents().send({ endpointId: nobody }), 404);

    const reserved = await check(
      'POST /v1/messages',
      t.http
        .post('/v1/messages')
        .set(p.auth)
        .send(sendBody({ reserveTime: '2026-03-05 14:30' })),
      202,
    );
    const reservation = `/v1/reservations/${reserved.reservationId as string}`;
    await check('GET /v1/reservations', t.http.get('/v1/reservations').set(p.auth), 200);
    await check('GET /v1/reservations', t.http.get('/v1/reservations?status=SOON').set(p.auth), 400);
    await check('GET /v1/reservations/{reservationId}', t.http.get(reservation).set(p.auth), 200);
    await check(
      'GET /v1/reservations/{reservationId}',
      t.http.get(`/v1/reservations/${nobody}`).set(p.auth),
      404,
    );
    await check(
      'POST /v1/reservations/{reservationId}/cancel',
      t.http.post(`${reservation}/cancel`).set(p.auth),
      200,
    );
    await check(
      'POST /v1/reservations/{reservationId}/cancel',
      t.http.post(`${reservation}/cancel`).set(p.auth),
      409,
    );

    // The cancel is an event: its delivery shows in the log with its attempt.
    await waitFor(() => receiver.requests.length > 0, 30_000);
    const deliveries = await waitFor(async () => {
      const page = (await t.http.get('/v1/webhooks/deliveries?status=DELIVERED').set(p.auth)).body as {
        items: { id: string }[];
      };
      return page.items.length > 0 ? page : undefined;
    }, 30_000);
    await check('GET /v1/webhooks/deliveries', t.http.get('/v1/webhooks/deliveries').set(p.auth), 200);
    await check(
      'GET /v1/webhooks/deliveries',
      t.http.get('/v1/webhooks/deliveries?status=LOST').set(p.auth),
      400,
    );
    const delivery = `/v1/webhooks/deliveries/${deliveries.items[0]!.id}`;
    await check('GET /v1/webhooks/deliveries/{id}', t.http.get(delivery).set(p.auth), 200);
    await check(
      'GET /v1/webhooks/deliveries/{id}',
      t.http.get(`/v1/webhooks/deliveries/${nobody}`).set(p.auth),
      404,
    );
    await check('DELETE /v1/webhooks/{id}', t.http.delete(one).set(p.auth), 204);
    await check('DELETE /v1/webhooks/{id}', t.http.delete(one).set(p.auth), 404);
  });

  it('health and metrics', async () => {
    await check('GET /health/live', t.http.get('/health/live'), 200);
    await check('GET /health/ready', t.http.get('/health/ready'), 200);
    await check('GET /metrics', t.http.get('/metrics'), 200);
  });

  it('every route of the document was called, with a success and a refusal', () => {
    expect(contract.missing(NO_REFUSAL)).toEqual([]);
  });
});
