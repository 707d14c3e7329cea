import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookReceiver, waitFor } from '../../../apps/server/test/webhooks-receiver';
import type { SendingProject } from '../../../apps/server/test/messages-fixtures';
import type { TestApp } from '../../../apps/server/test/test-app';
import { Munja, MunjaError, type UploadProgress } from '../src';
import { CALLING_NUMBER, RefusingProxy, startService } from './service';

/** @munja/client against the real service (apps/server on PGlite, or DATABASE_URL), dispatching to its simulator. */
describe('@munja/client against the service', () => {
  let t: TestApp;
  let p: SendingProject;
  let munja: Munja;

  beforeAll(async () => {
    ({ t, p } = await startService({ MUNJA_WEBHOOK_TICK_MS: '50' }));
    munja = new Munja({ baseUrl: t.url, apiKey: p.apiKey });
  });

  afterAll(async () => {
    await t?.close();
  });

  const storedMessages = async (requestId: string) =>
    (await munja.messages.request(requestId)).messages.map((message) => message.to);

  it('sends: 202 with the request id, the refused recipient listed by line and field', async () => {
    const answer = await munja.messages.send({
      from: CALLING_NUMBER,
      content: '안녕하세요',
      messages: [{ to: '010-1111-2222' }, { to: '12' }],
    });
    expect(answer).toMatchObject({ statusCode: '202', statusName: 'success', accepted: 1 });
    expect(answer.rejected).toEqual([
      expect.objectContaining({ index: 1, to: '12', field: 'messages[1].to', code: expect.any(String) }),
    ]);
    expect(await storedMessages(answer.requestId)).toEqual(['01011112222', '12']);
  });

  it('a refused send is a MunjaError with the status, code and field of the service', async () => {
    const error = await munja.messages
      .send({ from: '0299998888', content: 'hi', messages: [{ to: '01011112222' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MunjaError);
    expect(error).toMatchObject({ status: 422, code: 'CALLING_NUMBER_NOT_REGISTERED', field: 'from' });

    const invalid = await munja.messages
      .send({ from: CALLING_NUMBER, content: 'hi', messages: [] })
      .catch((caught: unknown) => caught);
    expect(invalid).toMatchObject({ status: 400, field: 'messages' });
  });

  it('keeps one Idempotency-Key across retries: an answer lost on the way is sent once', async () => {
    const keys: (string | null)[] = [];
    let calls = 0;
    const flaky = new Munja({
      baseUrl: t.url,
      apiKey: p.apiKey,
      retry: { baseDelayMs: 1 },
      // The service does the work and answers; the answer is lost before the caller reads it.
      fetch: async (request) => {
        calls += 1;
        keys.push(request.headers.get('idempotency-key'));
        const response = await fetch(request);
        if (calls === 1) {
          await response.arrayBuffer();
          throw new TypeError('fetch failed: socket hang up');
        }
        return response;
      },
    });
    const before = await munja.messages.list({ to: '01033334444' }).toArray();
    const answer = await flaky.messages.send({
      from: CALLING_NUMBER,
      content: 'once',
      messages: [{ to: '010-3333-4444' }],
    });
    expect(calls).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    const after = await munja.messages.list({ to: '01033334444' }).toArray();
    expect(after.length - before.length).toBe(1);
    expect(after[0]!.requestId).toBe(answer.requestId);
  });

  it.each([
    [503, '1'],
    [429, '2'],
  ])('retries after %i, waiting Retry-After (%s s), with the same key', async (status, retryAfter) => {
    const proxy = await new RefusingProxy(t.url, [{ status, retryAfter }]).start();
    try {
      const waits: number[] = [];
      const viaProxy = new Munja({
        baseUrl: proxy.url,
        apiKey: p.apiKey,
        onRetry: ({ delayMs }) => waits.push(delayMs),
      });
      const started = Date.now();
      const answer = await viaProxy.messages.send({
        from: CALLING_NUMBER,
        content: `after ${status}`,
        messages: [{ to: '010-5555-6666' }],
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(Number(retryAfter) * 1000 - 20);
      expect(waits).toEqual([Number(retryAfter) * 1000]);
      expect(proxy.seen).toHaveLength(2);
      expect(proxy.seen[1]!.headers['idempotency-key']).toBe(proxy.seen[0]!.headers['idempotency-key']);
      expect(answer.accepted).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('gives up after its retries with the last refusal as a MunjaError', async () => {
    const proxy = await new RefusingProxy(t.url, [
      { status: 503, retryAfter: '0' },
      { status: 503, retryAfter: '0' },
      { status: 503, retryAfter: '0' },
    ]).start();
    try {
      const viaProxy = new Munja({ baseUrl: proxy.url, apiKey: p.apiKey, retry: { retries: 2 } });
      await expect(viaProxy.messages.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        status: 503,
        code: 'BUSY',
      });
      expect(proxy.seen).toHaveLength(3);
    } finally {
      await proxy.stop();
    }
  });

  it('iterates the whole history a page at a time', async () => {
    const recipients = Array.from({ length: 7 }, (_, i) => ({ to: `010-7777-000${i}` }));
    const answer = await munja.messages.send({
      from: CALLING_NUMBER,
      content: 'page',
      messages: recipients,
    });
    const list = munja.messages.list({ from: CALLING_NUMBER, limit: 3 });
    const pages: number[] = [];
    for await (const page of list.pages()) pages.push(page.items.length);
    const seen = (await list.toArray()).filter((message) => message.requestId === answer.requestId);
    expect(seen.map((message) => message.to).sort()).toEqual(
      recipients.map((r) => r.to.replace(/-/g, '')).sort(),
    );
    expect(pages.slice(0, -1).every((size) => size === 3)).toBe(true);
    expect(pages.reduce((a, b) => a + b, 0)).toBe((await list.toArray()).length);
  });

  it('iterates reservations and cancels one', async () => {
    const sendAt = new Date(Date.now() + 2 * 86_400_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Seoul',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(sendAt);
    const reserved: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await munja.messages.send({
        from: CALLING_NUMBER,
        content: `later ${i}`,
        messages: [{ to: '010-8888-9999' }],
        reserveTime: local,
      });
      expect(answer.statusName).toBe('reserved');
      reserved.push(answer.reservationId!);
    }
    const listed = await munja.reservations.list({ status: 'READY', limit: 2 }).toArray();
    expect(listed.map((r) => r.reservationId)).toEqual(expect.arrayContaining(reserved));
    const canceled = await munja.reservations.cancel(reserved[0]!);
    expect(canceled.status).toBe('CANCELED');
    await expect(munja.reservations.cancel(reserved[0]!)).rejects.toMatchObject({
      status: 409,
      code: 'RESERVATION_NOT_CANCELABLE',
    });
  });

  it('uploads a bulk CSV from a Blob and from a Node stream, reporting progress to the last byte', async () => {
    const csv = 'to,content\r\n010-1234-0001,하나\r\n010-1234-0002,둘\r\nbad,셋\r\n';
    for (const recipients of [
      new Blob([csv]),
      Readable.from([Buffer.from(csv.slice(0, 20)), Buffer.from(csv.slice(20))]),
    ]) {
      const progress: UploadProgress[] = [];
      const answer = await munja.bulk.send({
        request: { from: CALLING_NUMBER, content: 'unused' },
        recipients,
        ...(recipients instanceof Blob ? {} : { size: Buffer.byteLength(csv) }),
        onProgress: (event) => progress.push(event),
      });
      expect(answer).toMatchObject({ accepted: 2, rejected: 1 });
      expect(answer.rejectedRows).toEqual([expect.objectContaining({ line: 4, to: 'bad' })]);
      const last = progress[progress.length - 1]!;
      expect(last.totalBytes).toBeGreaterThan(Buffer.byteLength(csv));
      expect(last.sentBytes).toBe(last.totalBytes);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i]!.sentBytes).toBeGreaterThanOrEqual(progress[i - 1]!.sentBytes);
      }
      const state = await munja.bulk.progress(answer.requestId);
      expect(state).toMatchObject({ requestId: answer.requestId, total: 3, accepted: 2 });
    }
  });

  it('verifies the signature of a real webhook delivery, and refuses a changed body or an old timestamp', async () => {
    const receiver = await new WebhookReceiver(() => 200).start();
    try {
      const secret = 'whsec_client_test_0123456789';
      const created = await munja.raw.POST('/v1/webhooks', {
        body: { url: receiver.url, secret, eventTypes: ['message.status_changed'] },
      });
      expect(created.response.status).toBe(201);
      await munja.messages.send({
        from: CALLING_NUMBER,
        content: 'hook',
        messages: [{ to: '010-4444-5555' }],
      });
      const delivered = await waitFor(() => receiver.requests[0], 30_000);
      expect(await munja.webhooks.verify(delivered.rawBody, delivered.headers, secret)).toBe(true);
      expect(
        await munja.webhooks.verify(new TextEncoder().encode(delivered.rawBody), delivered.headers, secret),
      ).toBe(true);
      expect(await munja.webhooks.verify(`${delivered.rawBody} `, delivered.headers, secret)).toBe(false);
      expect(await munja.webhooks.verify(delivered.rawBody, delivered.headers, `${secret}x`)).toBe(false);
      const sentAt = Number(delivered.headers['munja-timestamp']);
      expect(
        await munja.webhooks.verify(delivered.rawBody, delivered.headers, secret, {
          nowSeconds: sentAt + 300,
        }),
      ).toBe(true);
      expect(
        await munja.webhooks.verify(delivered.rawBody, delivered.headers, secret, {
          nowSeconds: sentAt + 301,
        }),
      ).toBe(false);

      const deliveries = await waitFor(async () => {
        const all = await munja.webhooks.deliveries({ limit: 1 }).toArray();
        return all.some((d) => d.status === 'DELIVERED') ? all : undefined;
      }, 30_000);
      expect(deliveries.length).toBeGreaterThanOrEqual(1);
      expect(deliveries[0]).toMatchObject({ endpointId: created.data!.id });
    } finally {
      await receiver.stop();
    }
  });

  it('sends a test event to one endpoint, signed, and logged as a webhook.test delivery', async () => {
    const receiver = await new WebhookReceiver(() => 200).start();
    try {
      const secret = 'whsec_client_test_event_0123456789';
      const created = await munja.raw.POST('/v1/webhooks', {
        body: { url: receiver.url, secret, eventTypes: ['reservation.status_changed'] },
      });
      const endpointId = created.data!.id;
      const queued = await munja.webhooks.sendTestEvent(endpointId);
      expect(queued).toMatchObject({ type: 'webhook.test' });
      const delivered = await waitFor(() => receiver.forEvent(queued.eventId)[0], 30_000);
      expect(await munja.webhooks.verify(delivered.rawBody, delivered.headers, secret)).toBe(true);
      const log = await waitFor(async () => {
        const all = await munja.webhooks.deliveries({ eventId: queued.eventId }).toArray();
        return all[0]?.status === 'DELIVERED' ? all : undefined;
      }, 30_000);
      expect(log).toEqual([expect.objectContaining({ id: queued.deliveryId, eventType: 'webhook.test' })]);

      const unknown = await munja.webhooks
        .sendTestEvent('00000000-0000-4000-8000-000000000000')
        .catch((e) => e);
      expect(unknown).toBeInstanceOf(MunjaError);
      expect(unknown).toMatchObject({ status: 404, code: 'NOT_FOUND', field: 'endpointId' });
      await munja.raw.DELETE('/v1/webhooks/{id}', { params: { path: { id: endpointId } } });
    } finally {
      await receiver.stop();
    }
  });
});
