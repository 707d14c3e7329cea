import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { startSimulator, type RunningSimulator } from '../simulator';
import { SENS_DEFAULTS } from './index';
import { signatureV2 } from './signature';
import { parseReserveTime } from './vendor-time';

// A 1×1 JPEG header (image-size reads it); enough for the fake's magic-byte and dimension checks.
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////' +
    '////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0); // 2026-11-22 12:00 KST
let clock = T0;
let sim: RunningSimulator;
const base = `/sms/v2/services/${SENS_DEFAULTS.serviceId}`;
const FROM = SENS_DEFAULTS.callingNumbers[0] as string;

interface Call {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  timestamp?: number;
  accessKey?: string;
  secretKey?: string;
  signature?: string;
}

async function call(c: Call): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  const method = c.method ?? 'GET';
  const timestamp = String(c.timestamp ?? clock);
  const accessKey = c.accessKey ?? SENS_DEFAULTS.accessKey;
  const headers: Record<string, string> = {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    'x-ncp-apigw-signature-v2':
      c.signature ??
      signatureV2(method, c.path, timestamp, accessKey, c.secretKey ?? SENS_DEFAULTS.secretKey),
  };
  if (c.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const res = await request(`${sim.url}${c.path}`, {
    method,
    headers,
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const send = (body: Record<string, unknown>): ReturnType<typeof call> =>
  call({ method: 'POST', path: `${base}/messages`, body });
const sms = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'SMS',
  from: FROM,
  content: '안녕하세요',
  messages: [{ to: '01012345678' }],
  ...overrides,
});

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, now: () => clock });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  clock = T0;
  sim.sens.reset();
});

describe('signature v2', () => {
  it('matches the reference test vector', () => {
    expect(
      signatureV2(
        'GET',
        '/vserver/v2/getServerInstanceList?responseFormatType=json',
        '1234567890123',
        'TestAccessKey',
        'TestSecretKey',
      ),
    ).toBe('FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=');
  });

  it('accepts a correctly signed request, the query included', async () => {
    expect((await call({ path: `${base}/unsubscribes?clientTelNo=01011112222` })).status).toBe(200);
  });

  it.each([
    ['a wrong signature', { signature: 'AAAA' }],
    ['a wrong secret', { secretKey: 'not-the-secret' }],
    ['an unknown access key', { accessKey: 'UNKNOWN' }],
    ['a timestamp exactly 5 minutes old', { timestamp: T0 - 300_000 }],
    ['a timestamp 5 minutes ahead', { timestamp: T0 + 300_000 }],
  ])('refuses %s with 401 and the gateway error body', async (_name, overrides) => {
    const res = await call({ path: `${base}/unsubscribes`, ...overrides });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { errorCode: '200', message: 'Authentication Failed' } });
    expect(sim.sens.snapshot().rejectedRequests).toBe(1);
  });

  it('accepts a timestamp 4:59.999 away', async () => {
    expect((await call({ path: `${base}/unsubscribes`, timestamp: T0 - 299_999 })).status).toBe(200);
  });

  it('signs the path with its query: a signature over the bare path is refused', async () => {
    const path = `${base}/unsubscribes?clientTelNo=0101`;
    const signature = signatureV2(
      'GET',
      `${base}/unsubscribes`,
      String(T0),
      SENS_DEFAULTS.accessKey,
      SENS_DEFAULTS.secretKey,
    );
    expect((await call({ path, signature })).status).toBe(401);
  });

  it('refuses everyone after the credentials rotate, and the new ones work', async () => {
    const next = sim.sens.rotateCredentials();
    expect((await call({ path: `${base}/unsubscribes` })).status).toBe(401);
    expect((await call({ path: `${base}/unsubscribes`, ...next })).status).toBe(200);
  });

  it('answers 404 for another service id', async () => {
    expect((await call({ path: '/sms/v2/services/ncp:sms:kr:999:other/unsubscribes' })).status).toBe(404);
  });
});

describe('send', () => {
  it('answers 202 with requestId, requestTime (KST), statusCode and statusName', async () => {
    const res = await send(sms());
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      requestId: expect.stringMatching(/^VORSSA-\d+-/),
      requestTime: '2026-11-22T12:00:00.000',
      statusCode: '202',
      statusName: 'success',
    });
    expect(sim.sens.sendCalls()).toBe(1);
    expect(sim.sens.received('01012345678')).toBe(1);
  });

  it.each([
    ['type missing', { type: undefined }],
    ['type unknown', { type: 'KAKAO' }],
    ['contentType unknown', { contentType: 'PROMO' }],
    ['countryCode unsupported', { countryCode: '999' }],
    ['from missing', { from: undefined }],
    ['from with a hyphen', { from: '02-1588-0000' }],
    ['from not registered', { from: '0299999999' }],
    ['content missing', { content: undefined }],
    ['messages empty', { messages: [] }],
    ['messages not an array', { messages: { to: '01012345678' } }],
    ['to with hyphens', { messages: [{ to: '010-1234-5678' }] }],
    ['to missing', { messages: [{}] }],
    [
      '101 messages',
      { messages: Array.from({ length: 101 }, (_, i) => ({ to: `0101000${String(i).padStart(4, '0')}` })) },
    ],
    ['files on an SMS', { files: [{ fileId: 'x' }] }],
    ['reserveTime malformed', { reserveTime: '2026-11-22T13:00' }],
    ['reserveTime in the past', { reserveTime: '2026-11-22 11:59' }],
    ['reserveTimeZone unknown', { reserveTime: '2026-11-22 13:00', reserveTimeZone: 'Mars/Olympus' }],
  ])('400 on %s, nothing recorded', async (_name, overrides) => {
    const res = await send(sms(overrides));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { errorCode: '400' } });
    expect(sim.sens.snapshot().messages).toBe(0);
    expect(sim.sens.sendCalls()).toBe(0);
  });

  it('takes exactly 100 messages and records each recipient once', async () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ to: `0102000${String(i).padStart(4, '0')}` }));
    expect((await send(sms({ messages }))).status).toBe(202);
    const snap = sim.sens.snapshot();
    expect(snap).toMatchObject({
      messages: 100,
      distinctRecipients: 100,
      duplicateRecipients: 0,
      sendCalls: 1,
    });
  });

  it('accepts lower-case type (older doc)', async () => {
    expect((await send(sms({ type: 'sms' }))).status).toBe(202);
  });

  it.each([
    ['SMS', 90, false],
    ['SMS', 91, true],
    ['LMS', 2000, false],
    ['LMS', 2001, true],
  ] as const)('%s content of %i bytes: truncated=%s (cut, not refused)', async (type, bytes, truncated) => {
    // two-byte Hangul plus one ASCII letter when the count is odd
    const content = '가'.repeat(Math.floor(bytes / 2)) + (bytes % 2 ? 'a' : '');
    expect((await send(sms({ type, content }))).status).toBe(202);
    expect(sim.sens.snapshot().truncatedMessages).toBe(truncated ? 1 : 0);
  });

  it('per-recipient subject and content override the defaults; SMS keeps no subject', async () => {
    const res = await send(
      sms({
        type: 'LMS',
        subject: '기본 제목',
        messages: [{ to: '01011110000' }, { to: '01011110001', subject: '개별 제목', content: '개별 내용' }],
      }),
    );
    expect(res.status).toBe(202);
    const list = await call({
      path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
    });
    const [first, second] = (list.body as { messages: Array<{ messageId: string }> }).messages;
    expect(sim.sens.message(first!.messageId)).toMatchObject({ subject: '기본 제목', content: '안녕하세요' });
    expect(sim.sens.message(second!.messageId)).toMatchObject({ subject: '개별 제목', content: '개별 내용' });
    const smsRes = await send(sms({ subject: '무시' }));
    const smsList = await call({
      path: `${base}/messages?requestId=${(smsRes.body as { requestId: string }).requestId}`,
    });
    const id = (smsList.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    expect(sim.sens.message(id)?.subject).toBeUndefined();
  });

  it('an MMS without files goes out as LMS', async () => {
    const res = await send(sms({ type: 'MMS', subject: '제목' }));
    const list = await call({
      path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
    });
    const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    expect(sim.sens.message(id)?.type).toBe('LMS');
  });

  it('a message EUC-KR cannot carry (an emoji) is taken, then fails', async () => {
    const res = await send(sms({ content: '축하해요 🎉' }));
    const list = await call({
      path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
    });
    const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    const result = await call({ path: `${base}/messages/${id}` });
    expect((result.body as { messages: unknown[] }).messages[0]).toMatchObject({
      status: 'COMPLETED',
      statusName: 'fail',
    });
  });
});

describe('list and result lookups', () => {
  it('lists the request by requestId and moves a result READY → PROCESSING → COMPLETED after reportDelayMs', async () => {
    sim.sens.setKnobs({ reportDelayMs: 10_000, outcomes: { delivered: 1, failed: 0 } });
    const res = await send(sms({ contentType: 'AD', messages: [{ to: '01033334444' }] }));
    const requestId = (res.body as { requestId: string }).requestId;
    const list = await call({ path: `${base}/messages?requestId=${requestId}` });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      requestId,
      statusCode: '202',
      statusName: 'success',
      messages: [
        {
          messageId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
          requestTime: '2026-11-22 12:00:00',
          contentType: 'AD',
          countryCode: '82',
          from: FROM,
          to: '01033334444',
        },
      ],
    });
    const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    const at = async (): Promise<Record<string, unknown>> =>
      ((await call({ path: `${base}/messages/${id}` })).body as { messages: Array<Record<string, unknown>> })
        .messages[0]!;
    expect(await at()).toMatchObject({ status: 'READY', type: 'SMS', content: '안녕하세요' });
    expect((await at()).statusName).toBeUndefined();
    clock = T0 + 5_000;
    expect((await at()).status).toBe('PROCESSING');
    clock = T0 + 10_000;
    expect(await at()).toMatchObject({
      requestId,
      messageId: id,
      status: 'COMPLETED',
      statusCode: '0',
      statusName: 'success',
      statusMessage: expect.any(String),
      completeTime: '2026-11-22 12:00:10',
      telcoCode: expect.any(String),
    });
  });

  it('follows the outcome mix, seeded: all failed gives fail with a non-zero code', async () => {
    sim.sens.setKnobs({ outcomes: { delivered: 0, failed: 1 } });
    const res = await send(sms());
    const list = await call({
      path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
    });
    const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    const result = (await call({ path: `${base}/messages/${id}` })).body as {
      messages: Array<Record<string, unknown>>;
    };
    expect(result.messages[0]).toMatchObject({ status: 'COMPLETED', statusName: 'fail' });
    expect(result.messages[0]!.statusCode).not.toBe('0');
  });

  it('settleReports completes waiting messages at once', async () => {
    sim.sens.setKnobs({ reportDelayMs: 3_600_000 });
    await send(sms());
    expect(sim.sens.settleReports()).toBe(1);
  });

  it('404 for an unknown requestId or messageId; 400 without a requestId', async () => {
    expect((await call({ path: `${base}/messages?requestId=VORSSA-nope` })).status).toBe(404);
    expect((await call({ path: `${base}/messages/00000000-0000-0000-0000-000000000000` })).status).toBe(404);
    expect((await call({ path: `${base}/messages` })).status).toBe(400);
  });
});

describe('list by time window', () => {
  const list = (query: string): ReturnType<typeof call> => call({ path: `${base}/messages?${query}` });
  const enc = (text: string): string => encodeURIComponent(text);

  it('lists by request window (KST), with requestId per entry and the documented filters', async () => {
    await send(sms({ messages: [{ to: '01011112222' }] }));
    await send(sms({ type: 'LMS', subject: 's', messages: [{ to: '01011113333' }] }));
    const window = `requestStartTime=${enc('2026-11-22 11:00:00')}&requestEndTime=${enc('2026-11-22 12:00:00')}`;
    const all = await list(window);
    expect(all.status).toBe(200);
    expect(
      (all.body as { messages: Array<{ to: string; requestId: string }> }).messages.map((m) => m.to).sort(),
    ).toEqual(['01011112222', '01011113333']);
    const lms = await list(`${window}&type=LMS`);
    expect((lms.body as { messages: Array<{ to: string }> }).messages.map((m) => m.to)).toEqual([
      '01011113333',
    ]);
    const before = `requestStartTime=${enc('2026-11-22 10:00:00')}&requestEndTime=${enc('2026-11-22 11:59:59')}`;
    expect((await list(before)).body).toMatchObject({ messages: [] });
  });

  it('lists by completion window only what has completed', async () => {
    sim.sens.setKnobs({ reportDelayMs: 60_000 });
    await send(sms({ messages: [{ to: '01011114444' }] }));
    const window = `completeStartTime=${enc('2026-11-22 12:00:00')}&completeEndTime=${enc('2026-11-22 13:00:00')}`;
    expect((await list(window)).body).toMatchObject({ messages: [] });
    clock = T0 + 60_000;
    expect((await list(window)).body).toMatchObject({ messages: [{ to: '01011114444' }] });
  });

  it.each([
    ['a start without an end', `requestStartTime=${encodeURIComponent('2026-11-22 11:00:00')}`],
    [
      'a request window over 30 days',
      `requestStartTime=${encodeURIComponent('2026-10-01 00:00:00')}&requestEndTime=${encodeURIComponent('2026-11-01 00:00:01')}`,
    ],
    [
      'a completion window over 24 hours',
      `completeStartTime=${encodeURIComponent('2026-11-20 00:00:00')}&completeEndTime=${encodeURIComponent('2026-11-21 00:00:01')}`,
    ],
    [
      'a window older than 90 days',
      `requestStartTime=${encodeURIComponent('2026-08-01 00:00:00')}&requestEndTime=${encodeURIComponent('2026-08-02 00:00:00')}`,
    ],
    ['a malformed time', `requestStartTime=2026-11-22&requestEndTime=2026-11-23`],
  ])('400 on %s', async (_name, query) => {
    expect((await list(query)).status).toBe(400);
  });
});

describe('file upload', () => {
  const upload = (fileName: unknown, data: Buffer | string): ReturnType<typeof call> =>
    call({
      method: 'POST',
      path: `${base}/files`,
      body: { fileName, fileBody: typeof data === 'string' ? data : data.toString('base64') },
    });

  it('takes a JPEG and returns fileId, createTime and expireTime (6 days); same name and size reuses it', async () => {
    const res = await upload('a.jpg', JPEG);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      fileId: expect.any(String),
      createTime: '2026-11-22 12:00:00',
      expireTime: '2026-11-28 12:00:00',
    });
    expect(((await upload('a.jpg', JPEG)).body as { fileId: string }).fileId).toBe(
      (res.body as { fileId: string }).fileId,
    );
    const mms = await send(
      sms({ type: 'MMS', files: [{ fileId: (res.body as { fileId: string }).fileId }] }),
    );
    expect(mms.status).toBe(202);
  });

  it.each([
    ['a .png name', 'a.png', JPEG],
    ['a 41-character name', `${'x'.repeat(37)}.jpg`, JPEG],
    ['PNG bytes', 'a.jpg', Buffer.from('89504e470d0a1a0a0000', 'hex')],
    ['a body over 300 KB', 'a.jpg', Buffer.concat([JPEG, Buffer.alloc(300 * 1024 - JPEG.length + 1)])],
    ['a body that is not Base64', 'a.jpg', '!!!!'],
  ])('400 on %s', async (_name, name, data) => {
    expect((await upload(name, data)).status).toBe(400);
  });

  it('takes a 40-character name', async () => {
    expect((await upload(`${'x'.repeat(36)}.jpg`, JPEG)).status).toBe(200);
  });

  it('refuses an MMS with an unknown fileId', async () => {
    expect((await send(sms({ type: 'MMS', files: [{ fileId: 'nope' }] }))).status).toBe(400);
  });
});

describe('reservations', () => {
  it('reserves, reports READY, cancels (204) to CANCELED, and a second cancel is refused', async () => {
    const res = await send(sms({ reserveTime: '2026-11-22 13:00' }));
    expect(res.status).toBe(202);
    const reserveId = (res.body as { requestId: string }).requestId;
    const status = async (): Promise<unknown> =>
      (await call({ path: `${base}/reservations/${reserveId}/reservestatus` })).body;
    expect(await status()).toEqual({
      reserveId,
      reserveTimeZone: 'Asia/Seoul',
      reserveTime: '2026-11-22 13:00',
      reserveStatus: 'READY',
    });
    expect((await call({ method: 'DELETE', path: `${base}/reservations/${reserveId}` })).status).toBe(204);
    expect(await status()).toMatchObject({ reserveStatus: 'CANCELED' });
    expect((await call({ method: 'DELETE', path: `${base}/reservations/${reserveId}` })).status).toBe(400);
  });

  it('is DONE after its time, and its messages start then', async () => {
    sim.sens.setKnobs({ reportDelayMs: 1000 });
    const res = await send(sms({ reserveTime: '2026-11-22 13:00' }));
    const reserveId = (res.body as { requestId: string }).requestId;
    clock = Date.UTC(2026, 10, 22, 4, 0, 0);
    expect((await call({ path: `${base}/reservations/${reserveId}/reservestatus` })).body).toMatchObject({
      reserveStatus: 'DONE',
    });
    expect((await call({ method: 'DELETE', path: `${base}/reservations/${reserveId}` })).status).toBe(400);
  });

  it('its messages wait READY until the reservation time, then complete after reportDelayMs', async () => {
    sim.sens.setKnobs({ reportDelayMs: 1000 });
    const res = await send(sms({ reserveTime: '2026-11-22 13:00' }));
    const list = await call({
      path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
    });
    expect(list.body).toMatchObject({ statusName: 'reserved' });
    const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    const status = async (): Promise<unknown> =>
      ((await call({ path: `${base}/messages/${id}` })).body as { messages: Array<{ status: string }> })
        .messages[0]!.status;
    clock = Date.UTC(2026, 10, 22, 3, 59, 59);
    expect(await status()).toBe('READY');
    expect(sim.sens.settleReports()).toBe(0); // not started yet: settling leaves it waiting
    clock = Date.UTC(2026, 10, 22, 4, 0, 1);
    expect(await status()).toBe('COMPLETED');
  });

  it('reads reserveTime in reserveTimeZone', () => {
    expect(parseReserveTime('2026-11-22 13:00', 'Asia/Seoul')).toBe(Date.UTC(2026, 10, 22, 4, 0));
    expect(parseReserveTime('2026-07-01 09:00', 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 13, 0));
    expect(parseReserveTime('2026-02-30 09:00', 'Asia/Seoul')).toBeUndefined();
    // daylight saving, by @munja/scheduling's rule: a skipped time → the first minute after the jump,
    // a repeated time → the earlier instant
    expect(parseReserveTime('2026-03-08 02:30', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    expect(parseReserveTime('2026-11-01 01:30', 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 5, 30));
  });

  it('404 for an unknown reservation', async () => {
    expect((await call({ path: `${base}/reservations/RSSA-nope/reservestatus` })).status).toBe(404);
  });
});

describe('opt-out list (/unsubscribes)', () => {
  it('adds, lists, deletes; an AD message to an opted-out number fails, a COMM one does not', async () => {
    const added = await call({
      method: 'POST',
      path: `${base}/unsubscribes`,
      body: [{ clientTelNo: '01055556666' }],
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      { clientTelNo: '01055556666', registerType: 'M', registerTime: '2026-11-22T12:00:00.000' },
    ]);
    expect((await call({ path: `${base}/unsubscribes` })).body).toHaveLength(1);

    const outcome = async (contentType: string): Promise<unknown> => {
      const res = await send(sms({ contentType, messages: [{ to: '01055556666' }] }));
      const list = await call({
        path: `${base}/messages?requestId=${(res.body as { requestId: string }).requestId}`,
      });
      const id = (list.body as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
      return (
        (await call({ path: `${base}/messages/${id}` })).body as { messages: Array<{ statusName: string }> }
      ).messages[0]!.statusName;
    };
    expect(await outcome('AD')).toBe('fail');
    expect(await outcome('COMM')).toBe('success');

    expect(
      (await call({ method: 'DELETE', path: `${base}/unsubscribes`, body: [{ clientTelNo: '01055556666' }] }))
        .status,
    ).toBe(204);
    expect((await call({ path: `${base}/unsubscribes` })).body).toEqual([]);
  });

  it('400 on more than 1,000 numbers or a non-array body', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({
      clientTelNo: `0107${String(i).padStart(7, '0')}`,
    }));
    expect((await call({ method: 'POST', path: `${base}/unsubscribes`, body: many })).status).toBe(400);
    expect(
      (await call({ method: 'POST', path: `${base}/unsubscribes`, body: { clientTelNo: '010' } })).status,
    ).toBe(400);
  });
});

describe('knobs', () => {
  it('rate limit: 429 with Retry-After past the per-second budget', async () => {
    sim.sens.setKnobs({ rateLimitPerSecond: 2 });
    clock += 5_000; // a fresh one-second window
    expect((await call({ path: `${base}/unsubscribes` })).status).toBe(200);
    expect((await call({ path: `${base}/unsubscribes` })).status).toBe(200);
    const limited = await call({ path: `${base}/unsubscribes` });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.body).toMatchObject({ error: { errorCode: '420' } });
  });

  it.each(['500', '503', '429'])(
    'injected %s: the request is answered with it and nothing is taken',
    async (code) => {
      sim.sens.setKnobs({ errorRates: { [code]: 1 } });
      const res = await send(sms());
      expect(res.status).toBe(Number(code));
      expect(sim.sens.snapshot().messages).toBe(0);
    },
  );

  it('latency: every answer waits latencyMs', async () => {
    sim.sens.setKnobs({ latencyMs: 150 });
    const started = performance.now();
    expect((await call({ path: `${base}/unsubscribes` })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('control endpoints set knobs, settle and reset from another process', async () => {
    const post = async (path: string, body?: unknown): Promise<unknown> =>
      (
        await request(`${sim.url}${path}`, {
          method: 'POST',
          ...(body === undefined
            ? {}
            : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        })
      ).body.json();
    expect(await post('/_sim/sens/knobs', { reportDelayMs: 60_000 })).toMatchObject({
      reportDelayMs: 60_000,
    });
    await send(sms());
    expect(await post('/_sim/sens/settle')).toEqual({ settled: 1 });
    expect(await post('/_sim/sens/reset')).toEqual({ ok: true });
    expect(sim.sens.ctx.knobs.reportDelayMs).toBe(0);
    expect(sim.sens.snapshot().messages).toBe(0);
  });

  it('the control endpoint reports the counters', async () => {
    await send(sms());
    const res = await request(`${sim.url}/_sim/counters`);
    expect(await res.body.json()).toMatchObject({
      sens: { messages: 1, sendCalls: 1, duplicateRecipients: 0 },
    });
  });
});
