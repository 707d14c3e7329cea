// Every call the console makes to the service goes through this module (and only this one), so that the
// transport can move to @munja/client in one place.
import type {
  ApiKey,
  BlockListPage,
  BlockedNumber,
  BulkAnswer,
  CallingNumber,
  DryRun,
  ErrorBody,
  HistoryFilter,
  Message,
  Occurrence,
  OptOutService,
  Page,
  Progress,
  Project,
  Reservation,
  Schedule,
  ScheduleInput,
  SendAnswer,
  SendBody,
  UploadedFile,
  WebhookDelivery,
  WebhookEndpoint,
} from './types';

/** An answer that is not 2xx, with the service's error shape (code, message, field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function toApiError(status: number, body: unknown): ApiError {
  const error = (body ?? {}) as Partial<ErrorBody>;
  return new ApiError(
    status,
    error.code ?? `HTTP_${status}`,
    error.message ?? `the service answered ${status}`,
    error.field,
  );
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface ApiOptions {
  /** the service's origin; the console is served by it, so the page's own origin by default */
  baseUrl?: string;
  key: string;
  fetch?: typeof fetch;
}

export type Api = ReturnType<typeof createApi>;

export function createApi({
  baseUrl = '',
  key,
  fetch: fetchImpl = globalThis.fetch.bind(globalThis),
}: ApiOptions) {
  async function call<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}) {
    const headers: Record<string, string> = { Authorization: `Bearer ${key}` };
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetchImpl(baseUrl + withQuery(path, options.query), { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    else if (text) parsed = text;
    if (!response.ok) throw toApiError(response.status, parsed);
    return parsed as T;
  }

  return {
    key,
    // projects and keys
    project: () => call<Project>('GET', '/v1/project'),
    projects: () => call<{ items: Project[] }>('GET', '/v1/projects'),
    createProject: (name: string) => call<Project>('POST', '/v1/projects', { body: { name } }),
    keys: (projectId: string) => call<{ items: ApiKey[] }>('GET', `/v1/projects/${projectId}/keys`),
    issueKey: (projectId: string, name: string) =>
      call<ApiKey>('POST', `/v1/projects/${projectId}/keys`, { body: { name } }),
    revokeKey: (projectId: string, keyId: string) =>
      call<void>('DELETE', `/v1/projects/${projectId}/keys/${keyId}`),

    // calling numbers
    callingNumbers: () => call<{ items: CallingNumber[] }>('GET', '/v1/calling-numbers'),
    registerCallingNumber: (number: string, method: 'SMS' | 'DOCUMENT') =>
      call<CallingNumber>('POST', '/v1/calling-numbers', { body: { number, method } }),
    projectCallingNumbers: (projectId: string) =>
      call<{ items: CallingNumber[] }>('GET', `/v1/projects/${projectId}/calling-numbers`),
    approveCallingNumber: (projectId: string, id: string) =>
      call<CallingNumber>('POST', `/v1/projects/${projectId}/calling-numbers/${id}/approve`),
    rejectCallingNumber: (projectId: string, id: string, reason?: string) =>
      call<CallingNumber>('POST', `/v1/projects/${projectId}/calling-numbers/${id}/reject`, {
        body: reason ? { reason } : {},
      }),

    // 080 opt-out service and block list
    optOutService: () => call<OptOutService | null>('GET', '/v1/opt-out/service'),
    applyOptOutService: (companyName: string) =>
      call<OptOutService>('POST', '/v1/opt-out/service', { body: { companyName } }),
    cancelOptOutService: () => call<OptOutService>('POST', '/v1/opt-out/service/cancel'),
    stopOptOutService: () => call<OptOutService>('POST', '/v1/opt-out/service/stop'),
    projectOptOutService: (projectId: string) =>
      call<OptOutService | null>('GET', `/v1/projects/${projectId}/opt-out/service`),
    completeOptOutService: (projectId: string, number080: string) =>
      call<OptOutService>('POST', `/v1/projects/${projectId}/opt-out/service/complete`, {
        body: { number080 },
      }),
    blockList: (query: { page?: number; size?: number; number?: string } = {}) =>
      call<BlockListPage>('GET', '/v1/opt-out/blocklist', { query }),
    block: (number: string) => call<BlockedNumber>('POST', '/v1/opt-out/blocklist', { body: { number } }),
    unblock: (number: string) => call<void>('DELETE', `/v1/opt-out/blocklist/${encodeURIComponent(number)}`),

    // sending
    send: (body: SendBody) => call<SendAnswer>('POST', '/v1/messages', { body }),
    dryRun: (body: SendBody) => call<DryRun>('POST', '/v1/messages', { body, query: { dryRun: 'true' } }),
    uploadFile: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return call<UploadedFile>('POST', '/v1/files', { body: form });
    },
    bulkTemplate: () => call<string>('GET', '/v1/messages/bulk/template'),
    progress: (requestId: string) => call<Progress>('GET', `/v1/requests/${requestId}/progress`),

    // results
    history: (filter: HistoryFilter & { limit?: number; cursor?: string }) =>
      call<Page<Message>>('GET', '/v1/messages', { query: { ...filter } }),
    message: (messageId: string) => call<Message>('GET', `/v1/messages/${messageId}`),

    // reservations and schedules
    reservations: (query: { status?: string; cursor?: string; limit?: number } = {}) =>
      call<Page<Reservation>>('GET', '/v1/reservations', { query }),
    cancelReservation: (reservationId: string) =>
      call<Reservation>('POST', `/v1/reservations/${reservationId}/cancel`),
    schedules: () => call<Schedule[]>('GET', '/v1/schedules'),
    createSchedule: (input: ScheduleInput) => call<Schedule>('POST', '/v1/schedules', { body: input }),
    occurrences: (code: string) =>
      call<Occurrence[]>('GET', `/v1/schedules/${encodeURIComponent(code)}/occurrences`),
    deleteSchedule: (code: string, confirmCode: string) =>
      call<void>('DELETE', `/v1/schedules/${encodeURIComponent(code)}`, { query: { confirmCode } }),

    // webhooks
    webhooks: () => call<{ items: WebhookEndpoint[] }>('GET', '/v1/webhooks'),
    createWebhook: (input: { url: string; eventTypes: string[]; description?: string }) =>
      call<WebhookEndpoint>('POST', '/v1/webhooks', { body: input }),
    setWebhookEnabled: (id: string, enabled: boolean) =>
      call<WebhookEndpoint>('PATCH', `/v1/webhooks/${id}`, { body: { enabled } }),
    deleteWebhook: (id: string) => call<void>('DELETE', `/v1/webhooks/${id}`),
    deliveries: (query: { endpointId?: string; cursor?: string } = {}) =>
      call<Page<WebhookDelivery>>('GET', '/v1/webhooks/deliveries', { query }),
  };
}

/**
 * The bulk send (multipart: the request's JSON, then the CSV) through XMLHttpRequest, whose upload events give
 * the progress bar while the file travels; fetch has none.
 */
export function uploadBulk(
  api: Pick<Api, 'key'>,
  request: Omit<SendBody, 'messages'>,
  csv: Blob,
  onProgress: (fraction: number) => void,
  baseUrl = '',
): Promise<BulkAnswer> {
  const form = new FormData();
  form.append('request', JSON.stringify(request));
  form.append('recipients', csv, 'recipients.csv');
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${baseUrl}/v1/messages/bulk`);
    xhr.setRequestHeader('Authorization', `Bearer ${api.key}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'the service could not be reached'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as BulkAnswer);
      else reject(toApiError(xhr.status, body));
    };
    xhr.send(form);
  });
}

/** The answer, or null when the service says 404 (a project with no 080 service yet). */
export async function orNullIfNotFound<T>(answer: Promise<T>): Promise<T | null> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}
