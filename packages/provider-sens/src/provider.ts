import {
  type AcceptedOutcome,
  type DeliveryReport,
  type OutboundMessage,
  PermanentError,
  type PendingMessage,
  type PluginContext,
  type PollRequest,
  type PollResult,
  type Provider,
  ProviderError,
  type ProviderHealth,
  type RejectedOutcome,
  type SendOutcome,
  type UploadableFile,
  type UploadedFile,
} from '@munja/provider-kit';
import { mapLimit, sleep } from './concurrency';
import { PLUGIN_ID, type SensConfig } from './config';
import { groupIntoCalls, type VendorCall } from './grouping';
import { SensHttp, SensHttpError } from './http';
import { parseVendorTime, toDeliveryReport, type SensMessageResult } from './report-mapping';
import { HEALTH_PATH, MAX_FILES_PER_MMS } from './unconfirmed';

export const MAX_RECIPIENTS_PER_CALL = 100;

/**
 * A vendor message id we could not learn yet: SENS took the call (202) but the list lookup by requestId kept
 * failing. The message must count as accepted (resending it would deliver it twice); pollReports resolves
 * the real id from the requestId and the recipient.
 */
export const UNRESOLVED_PREFIX = 'sens-unresolved:';

const DIGITS = /^\d+$/;
const LOOKUP_ATTEMPTS = 6;

function localProblem(m: OutboundMessage): string | undefined {
  if (m.channel !== 'SMS' && m.channel !== 'LMS' && m.channel !== 'MMS')
    return `SENS does not carry ${m.channel}`;
  if (!DIGITS.test(m.to)) return 'recipient must be digits only';
  if (!DIGITS.test(m.from)) return 'calling number must be digits only';
  if (m.channel === 'MMS' && (m.fileIds?.length ?? 0) === 0) return 'MMS needs an uploaded file';
  if ((m.fileIds?.length ?? 0) > MAX_FILES_PER_MMS) return `at most ${MAX_FILES_PER_MMS} files`;
  if (m.channel !== 'MMS' && (m.fileIds?.length ?? 0) > 0) return 'files are for MMS only';
  return undefined;
}

function rejected(ref: string, error: ProviderError): RejectedOutcome {
  return {
    ref,
    accepted: false,
    code: error.vendorCode,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

const asProviderError = (error: unknown): ProviderError => {
  if (error instanceof SensHttpError) return error.error;
  if (error instanceof ProviderError) return error;
  throw error;
};

/** Whole-batch failures the server handles by kind; the most telling one wins when calls failed differently. */
const THROW_ORDER = ['AUTHENTICATION', 'RATE_LIMITED', 'TRANSIENT'] as const;

export class SensProvider implements Provider {
  readonly pluginId = PLUGIN_ID;
  private readonly http: SensHttp;

  constructor(
    private readonly config: SensConfig,
    private readonly context: PluginContext,
  ) {
    this.http = new SensHttp(config, () => context.now().getTime());
  }

  async send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    const sendable: OutboundMessage[] = [];
    for (const m of messages) {
      const problem = localProblem(m);
      if (problem)
        outcomes.push(rejected(m.ref, new PermanentError('INVALID_MESSAGE', `SENS send: ${problem}`)));
      else sendable.push(m);
    }
    const calls = groupIntoCalls(sendable, MAX_RECIPIENTS_PER_CALL);
    const results = await mapLimit(calls, this.config.concurrency, (call) => this.sendCall(call));
    const failures = results.filter((r): r is ProviderError => r instanceof ProviderError);
    // nothing was taken and nothing was refused per message: the whole batch failed one way, so say it by throwing
    if (outcomes.length === 0 && calls.length > 0 && failures.length === calls.length) {
      for (const kind of THROW_ORDER) {
        const error = failures.find((f) => f.kind === kind);
        if (error) throw error;
      }
    }
    results.forEach((result, i) => {
      if (result instanceof ProviderError)
        for (const m of calls[i]!.messages) outcomes.push(rejected(m.ref, result));
      else outcomes.push(...result);
    });
    return outcomes;
  }

  /** One vendor call: POST, then learn each recipient's messageId from the list by requestId. */
  private async sendCall(call: VendorCall): Promise<AcceptedOutcome[] | ProviderError> {
    let requestId: string;
    try {
      const response = await this.http.request('POST', this.http.servicePath('messages'), 'send', call.body);
      const body = response.body as { requestId?: unknown; statusCode?: unknown; statusName?: unknown };
      if (typeof body.requestId !== 'string' || (body.statusCode !== undefined && body.statusCode !== '202'))
        return new PermanentError(
          String(body.statusCode ?? response.status),
          `SENS send: not accepted (${String(body.statusName ?? 'no requestId')})`,
        );
      requestId = body.requestId;
    } catch (error) {
      return asProviderError(error);
    }
    const ids = await this.lookupMessageIds(requestId);
    return call.messages.map((m) => ({
      ref: m.ref,
      accepted: true,
      vendorMessageId: ids?.get(m.to) ?? `${UNRESOLVED_PREFIX}${requestId}/${m.to}`,
      vendorRequestId: requestId,
    }));
  }

  /** recipient → messageId for a request; retried (it is a read), undefined when SENS would not say. */
  private async lookupMessageIds(requestId: string): Promise<Map<string, string> | undefined> {
    const path = `${this.http.servicePath('messages')}?requestId=${encodeURIComponent(requestId)}`;
    for (let attempt = 0; attempt < LOOKUP_ATTEMPTS; attempt += 1) {
      try {
        const response = await this.http.request('GET', path, 'list by requestId');
        const list =
          (response.body as { messages?: Array<{ messageId?: unknown; to?: unknown }> }).messages ?? [];
        const ids = new Map<string, string>();
        for (const entry of list)
          if (typeof entry.to === 'string' && typeof entry.messageId === 'string')
            ids.set(entry.to, entry.messageId);
        return ids;
      } catch (raw) {
        const error = asProviderError(raw);
        if (error.kind === 'AUTHENTICATION' || error.kind === 'PERMANENT') break;
        await sleep(Math.min(5000, error.retryAfterMs ?? 100 * 2 ** attempt));
      }
    }
    this.context.logger.warn(
      { plugin: PLUGIN_ID, requestId },
      'SENS took the request but its message ids are not known yet',
    );
    return undefined;
  }

  async uploadFile(file: UploadableFile): Promise<UploadedFile> {
    try {
      const response = await this.http.request('POST', this.http.servicePath('files'), 'file upload', {
        fileName: file.name,
        fileBody: file.data.toString('base64'),
      });
      const body = response.body as { fileId?: unknown; expireTime?: unknown };
      if (typeof body.fileId !== 'string')
        throw new PermanentError(String(response.status), 'SENS file upload: no fileId');
      const expiresAt = parseVendorTime(typeof body.expireTime === 'string' ? body.expireTime : undefined);
      return { fileId: body.fileId, ...(expiresAt ? { expiresAt } : {}) };
    } catch (error) {
      throw asProviderError(error);
    }
  }

  async pollReports(request: PollRequest): Promise<PollResult> {
    const pending = request.pending ?? [];
    const limit = request.limit ?? 1000;
    const batch = pending.slice(0, limit);
    const lists = new Map<string, Promise<Map<string, string> | undefined>>();
    const resolveId = async (p: PendingMessage): Promise<string | undefined> => {
      if (!p.vendorMessageId.startsWith(UNRESOLVED_PREFIX)) return p.vendorMessageId;
      const [requestId, to] = p.vendorMessageId.slice(UNRESOLVED_PREFIX.length).split('/') as [
        string,
        string,
      ];
      if (!lists.has(requestId)) lists.set(requestId, this.lookupMessageIds(requestId));
      return (await lists.get(requestId))?.get(to);
    };
    const now = this.context.now();
    const results = await mapLimit(batch, this.config.concurrency, async (p) => {
      try {
        const id = await resolveId(p);
        if (!id) return undefined;
        const response = await this.http.request(
          'GET',
          this.http.servicePath(`messages/${encodeURIComponent(id)}`),
          'result',
        );
        const result = (response.body as { messages?: SensMessageResult[] }).messages?.[0];
        return result ? toDeliveryReport(result, { ref: p.ref, vendorMessageId: id }, now) : undefined;
      } catch (error) {
        return asProviderError(error);
      }
    });
    const failures = results.filter((r): r is ProviderError => r instanceof ProviderError);
    const auth = failures.find((f) => f.kind === 'AUTHENTICATION');
    if (auth) throw auth;
    if (batch.length > 0 && failures.length === batch.length) throw failures[0]!;
    const reports = results.filter(
      (r): r is DeliveryReport => r !== undefined && !(r instanceof ProviderError),
    );
    return {
      reports,
      // SENS keeps results for 90 days and has nothing to acknowledge
      acknowledge: async () => {},
      more: pending.length > batch.length || failures.some((f) => f.retryable),
      answersPendingOnly: true,
    };
  }

  async health(): Promise<ProviderHealth> {
    try {
      await this.http.request('GET', this.http.servicePath(HEALTH_PATH), 'health');
      return { ok: true };
    } catch (error) {
      const e = asProviderError(error);
      return { ok: false, detail: `${e.kind}: ${e.message}` };
    }
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
