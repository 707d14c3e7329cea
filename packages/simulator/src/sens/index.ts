import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { imageSize } from 'image-size';
import { knobsWith, type VendorKnobs } from '../knobs';
import { applyLatency, pickInjectedError, type VendorContext } from '../vendor-context';
import { planSend, SendRequestError } from './send-request';
import { sameSignature, signatureV2, TIMESTAMP_WINDOW_MS } from './signature';
import { RESULT_BY_OUTCOME, SensStore, type SensMessageRecord } from './store';
import {
  GATEWAY_ERROR,
  LOOKUP_STATUS,
  messageIdFrom,
  SEND_RETRY_AFTER_HEADER,
  UNREGISTERED_FROM_STATUS,
  type SensErrorBody,
} from './unconfirmed';
import { isoLocalMillis, parseSpacedLocal, spacedLocal } from './vendor-time';

/** Only the last 90 days can be queried [SENS-list]. */
const LOOKBACK_MS = 90 * 24 * 3_600_000;

export { signatureV2 } from './signature';
export type { SensMessageRecord, SensOutcome } from './store';

export interface SensCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** Options of the faked Ncloud SENS v2. */
export interface SensFakeOptions {
  /** the one service id the fake serves (default `ncp:sms:kr:000000000001:munja`) */
  readonly serviceId?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  /** calling numbers registered "in the console": the only accepted `from` values */
  readonly callingNumbers?: readonly string[];
}

export const SENS_DEFAULTS = {
  serviceId: 'ncp:sms:kr:000000000001:munja',
  accessKey: 'SIMACCESSKEY0000000',
  secretKey: 'SIMSECRETKEY0000000000000000000000000000',
  callingNumbers: ['0215880000', '0312345678', '01000000000'],
} as const;

/** Test and bench control over the faked SENS. */
export interface SensControl {
  readonly ctx: VendorContext;
  readonly serviceId: string;
  readonly store: SensStore;
  /** the credentials the fake accepts right now */
  credentials(): SensCredentials;
  setCredentials(credentials: SensCredentials): void;
  /** give the fake new random credentials, so the ones a client holds stop working */
  rotateCredentials(): SensCredentials;
  readonly callingNumbers: Set<string>;
  setKnobs(knobs: Partial<VendorKnobs>): void;
  /** send requests accepted (202) since the last reset */
  sendCalls(): number;
  /** how many times a recipient was accepted */
  received(to: string): number;
  message(messageId: string): SensMessageRecord | undefined;
  /** complete every message already sent, now (reports no longer wait for reportDelayMs) */
  settleReports(): number;
  /** counters, knobs, credentials and stored state back to the start */
  reset(): void;
  /** counters for another process: the shell's snapshot plus SENS's own figures */
  snapshot(): Record<string, number>;
}

function errorBody(status: keyof typeof GATEWAY_ERROR, details: string): SensErrorBody {
  return { error: { ...GATEWAY_ERROR[status], details } };
}

interface ServiceParams {
  serviceId: string;
}

export function registerSens(
  app: FastifyInstance,
  ctx: VendorContext,
  options: SensFakeOptions,
): SensControl {
  const serviceId = options.serviceId ?? SENS_DEFAULTS.serviceId;
  const initial: SensCredentials = {
    accessKey: options.accessKey ?? SENS_DEFAULTS.accessKey,
    secretKey: options.secretKey ?? SENS_DEFAULTS.secretKey,
  };
  const initialKnobs = knobsWith(ctx.knobs);
  const initialNumbers = options.callingNumbers ?? SENS_DEFAULTS.callingNumbers;
  let credentials = initial;
  let sendCalls = 0;
  const callingNumbers = new Set<string>(initialNumbers);
  const store = new SensStore(ctx.random);

  const reject = (reply: FastifyReply, status: keyof typeof GATEWAY_ERROR, details: string): FastifyReply => {
    ctx.counters.recordRejected();
    return reply.code(status).send(errorBody(status, details));
  };

  /** The gateway's checks, in its order: authentication, then throttling, then the (injected) backend faults. */
  const gateway = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    ctx.counters.recordRequest();
    if (ctx.knobs.latencyMs > 0) await applyLatency(ctx);
    const timestamp = request.headers['x-ncp-apigw-timestamp'];
    const accessKey = request.headers['x-ncp-iam-access-key'];
    const signature = request.headers['x-ncp-apigw-signature-v2'];
    if (typeof timestamp !== 'string' || typeof accessKey !== 'string' || typeof signature !== 'string')
      return reject(reply, 401, 'Authentication headers are missing.');
    if (!/^\d{1,16}$/.test(timestamp) || Math.abs(ctx.now() - Number(timestamp)) >= TIMESTAMP_WINDOW_MS)
      return reject(reply, 401, 'Timestamp is invalid or more than 5 minutes away.');
    if (accessKey !== credentials.accessKey) return reject(reply, 401, 'Invalid access key.');
    // the raw request target: path plus query exactly as the client sent and signed it
    const expected = signatureV2(
      request.method,
      request.raw.url ?? request.url,
      timestamp,
      accessKey,
      credentials.secretKey,
    );
    if (!sameSignature(expected, signature)) return reject(reply, 401, 'Signature mismatch.');
    if (!ctx.rate.admit(ctx.knobs.rateLimitPerSecond)) {
      if (SEND_RETRY_AFTER_HEADER)
        reply.header('retry-after', String(Math.max(1, Math.ceil(ctx.rate.retryAfterMs() / 1000))));
      return reject(reply, 429, 'Too many requests.');
    }
    const injected = pickInjectedError(ctx);
    if (injected !== undefined) {
      const status = Number(injected);
      if (status === 429 || status === 500 || status === 503 || status === 403)
        return reject(reply, status, 'Injected fault.');
      ctx.counters.recordRejected();
      return reply
        .code(Number.isInteger(status) && status >= 400 ? status : 500)
        .send(errorBody(500, 'Injected fault.'));
    }
    if ((request.params as Partial<ServiceParams>).serviceId !== serviceId)
      return reject(reply, 404, 'Unknown service id.');
    return undefined;
  };

  const resultView = (m: SensMessageRecord, now: number): Record<string, unknown> => {
    const status = store.statusOf(m, now);
    const view: Record<string, unknown> = {
      requestId: m.requestId,
      messageId: m.messageId,
      requestTime: spacedLocal(m.requestTime),
      contentType: m.contentType,
      type: m.type,
      countryCode: m.countryCode,
      from: m.from,
      to: m.to,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      content: m.content,
      status,
    };
    if (status === 'COMPLETED') {
      Object.assign(view, RESULT_BY_OUTCOME[m.outcome], {
        completeTime: spacedLocal(m.completeAt),
        telcoCode: m.telcoCode,
      });
    }
    if (m.files.length > 0) view.files = m.files.map((f) => ({ name: f.name, fileId: f.fileId }));
    return view;
  };

  app.register(async (scope) => {
    // onRequest: the gateway authenticates before any body is read, as a real API gateway does
    scope.addHook('onRequest', gateway);
    scope.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      ctx.counters.recordRejected();
      const status = error.statusCode === 413 ? 400 : (error.statusCode ?? 500);
      return reply.code(status).send(errorBody(status >= 500 ? 500 : 400, error.message));
    });
    const base = '/sms/v2/services/:serviceId';

    scope.post(`${base}/messages`, async (request, reply) => {
      const now = ctx.now();
      let plan;
      try {
        plan = planSend(request.body, {
          now,
          isRegisteredCallingNumber: (from) => callingNumbers.has(from),
          unregisteredFromStatus: UNREGISTERED_FROM_STATUS,
          fileExists: (fileId) => store.fileAlive(fileId, now),
        });
      } catch (error) {
        if (error instanceof SendRequestError)
          return reject(reply, error.status as keyof typeof GATEWAY_ERROR, error.message);
        throw error;
      }
      const { request: accepted, messages } = store.accept(plan, {
        now,
        reportDelayMs: ctx.knobs.reportDelayMs,
        outcomes: ctx.knobs.outcomes,
      });
      sendCalls += 1;
      for (const m of messages) ctx.counters.recordMessage(m.to);
      return reply.code(202).send({
        requestId: accepted.requestId,
        requestTime: isoLocalMillis(now),
        statusCode: '202',
        statusName: 'success',
      });
    });

    const listEntry = (m: SensMessageRecord): Record<string, unknown> => ({
      messageId: m.messageId,
      requestTime: spacedLocal(m.requestTime),
      contentType: m.contentType,
      countryCode: m.countryCode,
      from: m.from,
      to: m.to,
    });

    scope.get(`${base}/messages`, async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      if (q.requestId) {
        const found = store.requests.get(q.requestId);
        if (!found) return reject(reply, 404, 'Unknown requestId.');
        return {
          requestId: q.requestId,
          statusCode: LOOKUP_STATUS.statusCode,
          statusName: found.reservation ? 'reserved' : LOOKUP_STATUS.statusName,
          messages: found.messageIds.map((id) => listEntry(store.messages.get(id)!)),
        };
      }
      // the time-window forms [SENS-list]: request window ≤ 30 days, completion window ≤ 24 h, last 90 days only
      const now = ctx.now();
      const window = (
        startKey: string,
        endKey: string,
        maxMs: number,
      ): [number, number] | string | undefined => {
        const startText = q[startKey];
        const endText = q[endKey];
        if (startText === undefined && endText === undefined) return undefined;
        const start = startText === undefined ? undefined : parseSpacedLocal(startText);
        const end = endText === undefined ? undefined : parseSpacedLocal(endText);
        if (start === undefined || end === undefined)
          return `${startKey} and ${endKey}: both required, yyyy-MM-dd HH:mm:ss`;
        if (end < start || end - start > maxMs)
          return `${startKey}..${endKey}: at most ${maxMs / 3_600_000} h`;
        if (start < now - LOOKBACK_MS) return `${startKey}: only the last 90 days can be queried`;
        return [start, end];
      };
      const byRequest = window('requestStartTime', 'requestEndTime', 30 * 24 * 3_600_000);
      const byComplete = window('completeStartTime', 'completeEndTime', 24 * 3_600_000);
      if (typeof byRequest === 'string') return reject(reply, 400, byRequest);
      if (typeof byComplete === 'string') return reject(reply, 400, byComplete);
      if (!byRequest && !byComplete)
        return reject(
          reply,
          400,
          'requestId, or requestStartTime + requestEndTime, or completeStartTime + completeEndTime',
        );
      // filters documented as optional; any others are UNCONFIRMED and ignored
      const matches = [...store.messages.values()].filter(
        (m) =>
          (!byRequest || (m.requestTime >= byRequest[0] && m.requestTime <= byRequest[1])) &&
          (!byComplete ||
            (store.statusOf(m, now) === 'COMPLETED' &&
              m.completeAt >= byComplete[0] &&
              m.completeAt <= byComplete[1])) &&
          (!q.messageId || m.messageId === q.messageId) &&
          (!q.type || m.type === q.type) &&
          (!q.contentType || m.contentType === q.contentType) &&
          (!q.countryCode || m.countryCode === q.countryCode),
      );
      return {
        statusCode: LOOKUP_STATUS.statusCode,
        statusName: LOOKUP_STATUS.statusName,
        messages: matches.map((m) => ({ requestId: m.requestId, ...listEntry(m) })),
      };
    });

    scope.get(`${base}/messages/:messageId`, async (request, reply) => {
      const { messageId } = request.params as { messageId: string };
      const m = store.messages.get(messageId);
      if (!m) return reject(reply, 404, 'Unknown messageId.');
      const now = ctx.now();
      if (store.statusOf(m, now) === 'COMPLETED') ctx.counters.recordReportDelivered();
      return {
        statusCode: LOOKUP_STATUS.statusCode,
        statusName: LOOKUP_STATUS.statusName,
        messages: [resultView(m, now)],
      };
    });

    scope.post(`${base}/files`, async (request, reply) => {
      const body = request.body as { fileName?: unknown; fileBody?: unknown } | null;
      const fileName = body?.fileName;
      const fileBody = body?.fileBody;
      if (typeof fileName !== 'string' || !/\.(jpg|jpeg)$/i.test(fileName))
        return reject(reply, 400, 'fileName: must end in .jpg or .jpeg');
      if (fileName.length > 40) return reject(reply, 400, 'fileName: at most 40 characters');
      if (
        typeof fileBody !== 'string' ||
        fileBody.length % 4 !== 0 ||
        !/^[A-Za-z0-9+/]*={0,2}$/.test(fileBody)
      )
        return reject(reply, 400, 'fileBody: must be Base64');
      const data = Buffer.from(fileBody, 'base64');
      if (data.length === 0 || data.length > 300 * 1024)
        return reject(reply, 400, 'fileBody: at most 300 KB');
      if (data[0] !== 0xff || data[1] !== 0xd8 || data[2] !== 0xff)
        return reject(reply, 400, 'fileBody: not a JPEG');
      let size: { width?: number; height?: number };
      try {
        size = imageSize(data);
      } catch {
        return reject(reply, 400, 'fileBody: unreadable JPEG');
      }
      if ((size.width ?? 0) > 1500 || (size.height ?? 0) > 1440)
        return reject(reply, 400, 'fileBody: at most 1500 × 1440 pixels');
      const now = ctx.now();
      const file = store.addFile(fileName, data.length, now, () => messageIdFrom(ctx.random.hex(32)));
      return reply.code(200).send({
        fileId: file.fileId,
        createTime: spacedLocal(file.createTime),
        expireTime: spacedLocal(file.expireTime),
      });
    });

    scope.get(`${base}/reservations/:reserveId/reservestatus`, async (request, reply) => {
      const { reserveId } = request.params as { reserveId: string };
      const found = store.requests.get(reserveId);
      if (!found?.reservation) return reject(reply, 404, 'Unknown reserveId.');
      return {
        reserveId,
        reserveTimeZone: found.reservation.reserveTimeZone,
        reserveTime: found.reservation.reserveTime,
        reserveStatus: store.reserveStatus(found, ctx.now()),
      };
    });

    scope.delete(`${base}/reservations/:reserveId`, async (request, reply) => {
      const { reserveId } = request.params as { reserveId: string };
      const found = store.requests.get(reserveId);
      if (!found?.reservation) return reject(reply, 404, 'Unknown reserveId.');
      const now = ctx.now();
      if (store.reserveStatus(found, now) !== 'READY')
        return reject(reply, 400, 'Reservation is no longer READY.');
      store.cancelReservation(found, now);
      return reply.code(204).send();
    });

    const optOutList = (body: unknown): string[] | string => {
      if (!Array.isArray(body) || body.length === 0) return 'body: a non-empty array of { clientTelNo }';
      if (body.length > 1000) return 'body: at most 1,000 numbers';
      const numbers: string[] = [];
      for (const [i, entry] of body.entries()) {
        const n = (entry as { clientTelNo?: unknown } | null)?.clientTelNo;
        if (typeof n !== 'string' || !/^\d+$/.test(n)) return `[${i}].clientTelNo: digits only`;
        numbers.push(n);
      }
      return numbers;
    };
    const optOutView = (r: { clientTelNo: string; registerType: string; registerTime: number }): object => ({
      clientTelNo: r.clientTelNo,
      registerType: r.registerType,
      registerTime: isoLocalMillis(r.registerTime),
    });

    scope.post(`${base}/unsubscribes`, async (request, reply) => {
      const numbers = optOutList(request.body);
      if (typeof numbers === 'string') return reject(reply, 400, numbers);
      const now = ctx.now();
      return reply.code(200).send(numbers.map((n) => optOutView(store.addOptOut(n, now))));
    });

    scope.delete(`${base}/unsubscribes`, async (request, reply) => {
      const numbers = optOutList(request.body);
      if (typeof numbers === 'string') return reject(reply, 400, numbers);
      for (const n of numbers) store.optOuts.delete(n);
      return reply.code(204).send();
    });

    // query parameters of the real list are UNCONFIRMED: the fake filters by an optional clientTelNo
    scope.get(`${base}/unsubscribes`, async (request) => {
      const { clientTelNo } = request.query as { clientTelNo?: string };
      return [...store.optOuts.values()]
        .filter((r) => !clientTelNo || r.clientTelNo === clientTelNo)
        .map(optOutView);
    });
  });

  return {
    ctx,
    serviceId,
    store,
    credentials: () => credentials,
    setCredentials: (next) => {
      credentials = next;
    },
    rotateCredentials: () => {
      credentials = {
        accessKey: `ROTATED${ctx.random.hex(12).toUpperCase()}`,
        secretKey: ctx.random.hex(40),
      };
      return credentials;
    },
    callingNumbers,
    setKnobs: (knobs) => {
      ctx.knobs = knobsWith({ ...ctx.knobs, ...knobs });
    },
    sendCalls: () => sendCalls,
    received: (to) => ctx.counters.receivedFor(to),
    message: (id) => store.messages.get(id),
    settleReports: () => store.settle(ctx.now()),
    reset: () => {
      ctx.counters.reset();
      ctx.knobs = knobsWith(initialKnobs);
      credentials = initial;
      sendCalls = 0;
      callingNumbers.clear();
      for (const n of initialNumbers) callingNumbers.add(n);
      store.clear();
    },
    snapshot: () => ({
      ...ctx.counters.snapshot(),
      sendCalls,
      truncatedMessages: store.truncatedMessages,
      storedMessages: store.messages.size,
    }),
  };
}
