import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Response } from 'undici';
import type { VendorKnobs } from '../knobs';
import { applyLatency, pickInjectedError, type VendorContext } from '../vendor-context';
import { OmniReports, type OmniWebhookCall } from './reports';
import { TokenStore, type OmniCredentials } from './tokens';
import { FieldError, validateSend } from './validation';
import {
  FILE_LIFETIME_MS,
  HTTP_STATUS_FOR_CODE,
  kstIso,
  MMS_FILE_MAX_BYTES,
  OMNI_CODES,
  TOKEN_LIFETIME_MS,
  type OmniCode,
} from './wire';

export * as omniWire from './wire';
export type { OmniWebhookCall } from './reports';
export type { OmniCredentials } from './tokens';
export { internationalParts } from './validation';

/** Options of the faked Infobank OMNI. */
export interface OmniFakeOptions {
  /** the account's OMNI API id and password (defaults: munja-omni / munja-omni-secret) */
  readonly credentials?: OmniCredentials;
  /** token lifetime; 24 h by default, short in tests */
  readonly tokenLifetimeMs?: number;
  /** where reports are POSTed; without it they wait for polling */
  readonly webhookUrl?: string;
  readonly webhookAttempts?: number;
  readonly webhookBackoffMs?: number;
  readonly webhookConcurrency?: number;
  /** how often due reports are released (ms) */
  readonly reportTickMs?: number;
}

export const DEFAULT_OMNI_CREDENTIALS: OmniCredentials = {
  clientId: 'munja-omni',
  password: 'munja-omni-secret',
};

/** Test/bench control over the faked OMNI. */
export interface OmniControl {
  readonly ctx: VendorContext;
  /** the account's credentials now in force */
  readonly credentials: OmniCredentials;
  /** change the account's credentials (a test breaking auth); `revokeTokens` also drops issued tokens */
  setCredentials(credentials: OmniCredentials, options?: { revokeTokens?: boolean }): void;
  /** back to the credentials the fake started with */
  restoreCredentials(): void;
  /** every issued token stops working (A001) */
  revokeTokens(): void;
  /** lifetime of tokens issued from now on */
  setTokenLifetimeMs(ms: number): void;
  /** tokens issued since start */
  tokensIssued(): number;
  /** send calls accepted (A000) since the last reset */
  sendCalls(): number;
  /**
   * The last messages accepted (A000) since the last reset, oldest first, at most SENT_KEPT: what reached the
   * vendor, byte for byte (tests compare it with what the service planned).
   */
  sent(): readonly OmniSentMessage[];
  setKnobs(knobs: Partial<VendorKnobs>): void;
  /** where to POST reports from now on; undefined sends them to the polling queue */
  setWebhookUrl(url: string | undefined): void;
  /** make every planned report due now and hand it out (webhook or polling queue) */
  flushReports(): void;
  /** flushReports, then wait until no webhook POST is queued or in flight */
  settleReports(): Promise<void>;
  /** the webhook calls made (or, without a webhook URL, that would have been made) since the last reset */
  webhookCalls(): OmniWebhookCall[];
  backlog(): { pending: number; polling: number; webhook: number };
  /** counters, knobs, reports, credentials and webhook URL back to the start */
  reset(): void;
}

type Endpoint = 'SMS' | 'MMS' | 'INTL';

/** One message as the faked OMNI received it. */
export interface OmniSentMessage {
  readonly endpoint: Endpoint;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly ref?: string;
}

/** How many accepted messages `sent()` keeps (a bench sends far more; only the latest are kept). */
export const SENT_KEPT = 1_000;

export function registerOmni(
  app: FastifyInstance,
  ctx: VendorContext,
  options: OmniFakeOptions,
): OmniControl {
  const initialCredentials = options.credentials ?? DEFAULT_OMNI_CREDENTIALS;
  const initialKnobs = { ...ctx.knobs, errorRates: { ...ctx.knobs.errorRates } };
  const tokens = new TokenStore(initialCredentials, options.tokenLifetimeMs ?? TOKEN_LIFETIME_MS);
  const reports = new OmniReports(
    ctx,
    {
      attempts: options.webhookAttempts ?? 5,
      backoffMs: options.webhookBackoffMs ?? 100,
      concurrency: options.webhookConcurrency ?? 8,
    },
    options.reportTickMs ?? 20,
    options.webhookUrl,
  );
  const files = new Map<string, number>();
  let sendCalls = 0;
  let msgSeq = 0;
  const sent: OmniSentMessage[] = [];

  const answer = (reply: FastifyReply, code: OmniCode, result?: string, extra: object = {}) => {
    if (code !== 'A000') ctx.counters.recordRejected();
    return reply
      .code(HTTP_STATUS_FOR_CODE[code])
      .send({ code, result: result ?? OMNI_CODES[code], ...extra });
  };

  /** latency, auth, injected faults and (for sends) the rate limit; true when the request may go on */
  const admit = async (req: FastifyRequest, reply: FastifyReply, rateLimited: boolean): Promise<boolean> => {
    await applyLatency(ctx);
    ctx.counters.recordRequest();
    if (tokens.check(req.headers.authorization, ctx.now()) !== 'valid') {
      answer(reply, 'A001');
      return false;
    }
    const injected = pickInjectedError(ctx);
    if (injected !== undefined) {
      const code = (injected in OMNI_CODES ? injected : 'A999') as OmniCode;
      answer(reply, code);
      return false;
    }
    if (rateLimited && !ctx.rate.admit(ctx.knobs.rateLimitPerSecond)) {
      answer(reply, 'A020');
      return false;
    }
    return true;
  };

  const send = (endpoint: Endpoint) => async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await admit(req, reply, true))) return reply;
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return answer(reply, 'A010');
    }
    try {
      const message = validateSend(endpoint, parsed);
      const nowMs = ctx.now();
      for (const key of message.fileKeys) {
        const expiresAt = files.get(key);
        if (expiresAt === undefined || expiresAt <= nowMs)
          throw new FieldError('fileKey', 'unknown or expired file key');
      }
      msgSeq += 1;
      // UNCONFIRMED msgKey format: the fake uses a time prefix, a sequence and random hex.
      const msgKey = `${kstIso(nowMs).slice(0, 10).replaceAll('-', '')}${String(msgSeq).padStart(8, '0')}${ctx.random.hex(8)}`;
      ctx.counters.recordMessage(message.to, message.ref);
      sendCalls += 1;
      sent.push({ endpoint, from: message.from, to: message.to, text: message.text, ref: message.ref });
      if (sent.length > SENT_KEPT) sent.shift();
      reports.schedule({
        msgKey,
        kind: message.kind,
        ref: message.ref,
        parts: message.parts,
        acceptedAt: nowMs,
      });
      return answer(reply, 'A000', undefined, {
        msgKey,
        ...(message.ref !== undefined ? { ref: message.ref } : {}),
      });
    } catch (error) {
      // UNCONFIRMED: the vendor's code for a well-formed JSON with bad fields; the fake reuses A010.
      if (error instanceof FieldError) return answer(reply, 'A010', `Invalid field: ${error.message}`);
      throw error;
    }
  };

  app.register(async (omni) => {
    // The raw body reaches the handlers, so that bad JSON is answered the vendor's way (A010), not Fastify's.
    omni.removeAllContentTypeParsers();
    omni.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    omni.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    omni.post('/v1/auth/token', async (req, reply) => {
      await applyLatency(ctx);
      ctx.counters.recordRequest();
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const issued = tokens.issue(header('x-ib-client-id'), header('x-ib-client-passwd'), ctx.now());
      // UNCONFIRMED: the code for wrong credentials; the fake answers 401 with A001.
      if (issued === undefined) return answer(reply, 'A001', 'Invalid client id or password');
      return answer(reply, 'A000', undefined, {
        data: { token: issued.token, schema: 'Bearer', expired: kstIso(issued.expiresAt) },
      });
    });

    omni.post('/v1/send/sms', send('SMS'));
    omni.post('/v1/send/mms', send('MMS'));
    omni.post('/v1/send/international', send('INTL'));

    omni.post('/v1/file/:serviceType', async (req, reply) => {
      if (!(await admit(req, reply, false))) return reply;
      const { serviceType } = req.params as { serviceType: string };
      if (serviceType !== 'MMS') return answer(reply, 'A010', `Unsupported serviceType: ${serviceType}`);
      const contentType = req.headers['content-type'] ?? '';
      if (!Buffer.isBuffer(req.body) || !contentType.startsWith('multipart/form-data'))
        return answer(reply, 'A010', 'multipart/form-data with a "file" part expected');
      let file: unknown;
      try {
        file = (await new Response(req.body, { headers: { 'content-type': contentType } }).formData()).get(
          'file',
        );
      } catch {
        return answer(reply, 'A010', 'Cannot parse multipart body');
      }
      if (file === null || typeof file === 'string' || typeof (file as Blob).arrayBuffer !== 'function')
        return answer(reply, 'A010', 'Missing "file" part');
      const data = Buffer.from(await (file as Blob).arrayBuffer());
      if (data.length > MMS_FILE_MAX_BYTES) return answer(reply, 'A010', 'File larger than 300 KB');
      if (data.length < 3 || data[0] !== 0xff || data[1] !== 0xd8 || data[2] !== 0xff)
        return answer(reply, 'A010', 'Not a JPEG file');
      const nowMs = ctx.now();
      const fileKey = `MMS${ctx.random.hex(29)}`;
      files.set(fileKey, nowMs + FILE_LIFETIME_MS);
      return answer(reply, 'A000', undefined, {
        data: { fileKey, expired: kstIso(nowMs + FILE_LIFETIME_MS) },
      });
    });

    omni.get('/v1/report/polling', async (req, reply) => {
      if (!(await admit(req, reply, false))) return reply;
      const batch = reports.poll(ctx.now());
      return answer(reply, 'A000', undefined, { data: batch });
    });

    omni.delete('/v1/report/polling/:reportId', async (req, reply) => {
      if (!(await admit(req, reply, false))) return reply;
      const { reportId } = req.params as { reportId: string };
      // UNCONFIRMED: the answer for an unknown or already acknowledged reportId.
      if (!reports.acknowledge(reportId)) return answer(reply, 'A010', 'Unknown reportId');
      return answer(reply, 'A000');
    });

    omni.get('/v1/report/inquiry/:msgKey', async (req, reply) => {
      if (!(await admit(req, reply, false))) return reply;
      const { msgKey } = req.params as { msgKey: string };
      reports.release(ctx.now());
      return answer(reply, 'A000', undefined, { data: { report: reports.inquiry(msgKey) } });
    });
  });
  app.addHook('onClose', async () => reports.close());

  const control: OmniControl = {
    ctx,
    get credentials() {
      return tokens.credentials;
    },
    setCredentials(credentials, opts = {}) {
      tokens.credentials = credentials;
      if (opts.revokeTokens === true) tokens.revokeAll();
    },
    restoreCredentials() {
      tokens.credentials = initialCredentials;
    },
    revokeTokens: () => tokens.revokeAll(),
    setTokenLifetimeMs(ms) {
      tokens.lifetimeMs = ms;
    },
    tokensIssued: () => tokens.issued,
    sendCalls: () => sendCalls,
    sent: () => [...sent],
    setKnobs(knobs) {
      ctx.knobs = {
        ...ctx.knobs,
        ...knobs,
        errorRates: { ...(knobs.errorRates ?? ctx.knobs.errorRates) },
        outcomes: { ...ctx.knobs.outcomes, ...(knobs.outcomes ?? {}) },
      };
    },
    setWebhookUrl(url) {
      reports.webhookUrl = url;
    },
    flushReports: () => reports.release(ctx.now(), true),
    async settleReports() {
      reports.release(ctx.now(), true);
      await reports.whenWebhookIdle();
    },
    webhookCalls: () => reports.webhookCalls(),
    backlog: () => reports.backlog(),
    reset() {
      ctx.counters.reset();
      ctx.knobs = { ...initialKnobs, errorRates: { ...initialKnobs.errorRates } };
      tokens.credentials = initialCredentials;
      reports.reset();
      reports.webhookUrl = options.webhookUrl;
      sendCalls = 0;
      sent.length = 0;
    },
  };
  registerOmniControlRoutes(app, control);
  return control;
}

/**
 * Control endpoints for a simulator in another process (benches, the CLI), beside the shell's
 * GET /_sim/counters. Never part of the vendor's API.
 */
function registerOmniControlRoutes(app: FastifyInstance, omni: OmniControl): void {
  app.post('/_sim/omni/reset', async () => {
    omni.reset();
    return { ok: true };
  });
  app.post('/_sim/omni/knobs', async (request) => {
    omni.setKnobs((request.body ?? {}) as Partial<VendorKnobs>);
    return omni.ctx.knobs;
  });
  app.post('/_sim/omni/settle', async () => {
    await omni.settleReports();
    return { ok: true, backlog: omni.backlog() };
  });
  app.post('/_sim/omni/webhook', async (request) => {
    const { url } = (request.body ?? {}) as { url?: string };
    omni.setWebhookUrl(typeof url === 'string' && url !== '' ? url : undefined);
    return { ok: true };
  });
  app.get('/_sim/omni/state', async () => ({
    knobs: omni.ctx.knobs,
    tokensIssued: omni.tokensIssued(),
    sendCalls: omni.sendCalls(),
    backlog: omni.backlog(),
    counters: omni.ctx.counters.snapshot(),
  }));
}
