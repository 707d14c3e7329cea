// Every call the console makes to the service goes through here, and through @munja/client (typed from the
// service's OpenAPI document): its errors (MunjaError: status, code, field) are what the pages show.
import { Munja, MunjaError, type ScheduleAttachAnswer } from '@munja/client';
import type {
  ApiKey,
  BulkAnswer,
  DryRun,
  HistoryFilter,
  Message,
  Page,
  Reservation,
  ScheduleInput,
  SendAnswer,
  SendBody,
  WebhookDelivery,
  WebhookEndpoint,
} from './types';

export { MunjaError as ApiError };

/** A send's answer, or (with scheduleCode) the schedule it was attached to. */
export type SendOutcome = SendAnswer | ScheduleAttachAnswer;

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or the service's refusal as a MunjaError. */
async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as { code?: unknown; message?: unknown; field?: unknown };
  throw new MunjaError({
    status: result.response.status,
    code: typeof body.code === 'string' ? body.code : `HTTP_${result.response.status}`,
    message: typeof body.message === 'string' ? body.message : `HTTP ${result.response.status}`,
    ...(typeof body.field === 'string' ? { field: body.field } : {}),
  });
}

/** crypto.randomUUID exists only in secure contexts; the console may be opened over plain http on a LAN. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface ApiOptions {
  /** the service's origin; the console is served by it, so the page's own origin by default */
  baseUrl?: string;
  key: string;
  fetch?: (request: Request) => Promise<Response>;
}

export type Api = ReturnType<typeof createApi>;

export function createApi({ baseUrl = window.location.origin, key, fetch }: ApiOptions) {
  const munja = new Munja({
    baseUrl,
    apiKey: key,
    idempotencyKey: newIdempotencyKey,
    // the person is waiting on the page: one quick retry at most
    retry: { retries: 1 },
    ...(fetch ? { fetch } : {}),
  });
  const { GET, POST, PATCH, DELETE } = munja.raw;
  const project = (projectId: string) => ({ params: { path: { projectId } } });

  return {
    key,
    // projects and keys
    project: () => unwrap(GET('/v1/project')),
    projects: () => unwrap(GET('/v1/projects')),
    createProject: (name: string) => unwrap(POST('/v1/projects', { body: { name } })),
    keys: (projectId: string) => unwrap(GET('/v1/projects/{projectId}/keys', project(projectId))),
    issueKey: (projectId: string, name: string): Promise<ApiKey> =>
      unwrap(POST('/v1/projects/{projectId}/keys', { ...project(projectId), body: { name } })),
    revokeKey: (projectId: string, keyId: string) =>
      unwrap(DELETE('/v1/projects/{projectId}/keys/{keyId}', { params: { path: { projectId, keyId } } })),

    // calling numbers
    callingNumbers: () => unwrap(GET('/v1/calling-numbers')),
    registerCallingNumber: (number: string, method: 'SMS' | 'DOCUMENT') =>
      unwrap(POST('/v1/calling-numbers', { body: { number, method } })),
    projectCallingNumbers: (projectId: string) =>
      unwrap(GET('/v1/projects/{projectId}/calling-numbers', project(projectId))),
    approveCallingNumber: (projectId: string, id: string) =>
      unwrap(
        POST('/v1/projects/{projectId}/calling-numbers/{id}/approve', {
          params: { path: { projectId, id } },
        }),
      ),
    rejectCallingNumber: (projectId: string, id: string, reason?: string) =>
      unwrap(
        POST('/v1/projects/{projectId}/calling-numbers/{id}/reject', {
          params: { path: { projectId, id } },
          body: reason ? { reason } : {},
        }),
      ),

    // 080 opt-out service and block list
    optOutService: () => unwrap(GET('/v1/opt-out/service')),
    applyOptOutService: (companyName: string) =>
      unwrap(POST('/v1/opt-out/service', { body: { companyName } })),
    cancelOptOutService: () => unwrap(POST('/v1/opt-out/service/cancel')),
    stopOptOutService: () => unwrap(POST('/v1/opt-out/service/stop')),
    projectOptOutService: (projectId: string) =>
      unwrap(GET('/v1/projects/{projectId}/opt-out/service', project(projectId))),
    completeOptOutService: (projectId: string, number080: string) =>
      unwrap(
        POST('/v1/projects/{projectId}/opt-out/service/complete', {
          ...project(projectId),
          body: { number080 },
        }),
      ),
    blockList: (query: { page?: number; size?: number; number?: string } = {}) =>
      unwrap(GET('/v1/opt-out/blocklist', { params: { query } })),
    block: (number: string) => unwrap(POST('/v1/opt-out/blocklist', { body: { number } })),
    unblock: (number: string) =>
      unwrap(DELETE('/v1/opt-out/blocklist/{number}', { params: { path: { number } } })),

    // sending
    send: (body: SendBody): Promise<SendOutcome> => munja.messages.send(body),
    // without scheduleCode the dry run answers the plan
    dryRun: (body: SendBody) =>
      unwrap(POST('/v1/messages', { body, params: { query: { dryRun: 'true' } } })) as Promise<DryRun>,
    uploadFile: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      // multipart: openapi-fetch passes FormData through as it is (the browser writes the boundary)
      return unwrap(
        POST('/v1/files', { body: form as never, bodySerializer: (body: unknown) => body as FormData }),
      );
    },
    bulkTemplate: () => unwrap(GET('/v1/messages/bulk/template', { parseAs: 'text' })) as Promise<string>,
    bulkSend: (request: Omit<SendBody, 'messages'>, recipients: Blob): Promise<BulkAnswer> =>
      munja.bulk.send({ request, recipients, filename: 'recipients.csv' }),
    progress: (requestId: string) => munja.bulk.progress(requestId),

    // results
    history: (filter: HistoryFilter & { limit?: number; cursor?: string }) =>
      unwrap(GET('/v1/messages', { params: { query: filter } })) as Promise<Page<Message>>,
    message: (messageId: string) => munja.messages.get(messageId),
    messageReports: (messageId: string) =>
      unwrap(GET('/v1/messages/{messageId}/reports', { params: { path: { messageId } } })),

    // reservations and schedules
    reservations: (query: { status?: Reservation['status']; cursor?: string; limit?: number } = {}) =>
      unwrap(GET('/v1/reservations', { params: { query } })) as Promise<Page<Reservation>>,
    cancelReservation: (reservationId: string) => munja.reservations.cancel(reservationId),
    schedules: () => unwrap(GET('/v1/schedules')),
    createSchedule: (input: ScheduleInput) => unwrap(POST('/v1/schedules', { body: input as never })),
    occurrences: (code: string) =>
      unwrap(GET('/v1/schedules/{code}/occurrences', { params: { path: { code } } })),
    deleteSchedule: (code: string, confirmCode: string) =>
      unwrap(DELETE('/v1/schedules/{code}', { params: { path: { code }, query: { confirmCode } } })),

    // webhooks
    webhooks: () => unwrap(GET('/v1/webhooks')),
    createWebhook: (input: { url: string; eventTypes: string[]; description?: string }) =>
      unwrap(POST('/v1/webhooks', { body: input as never })) as Promise<WebhookEndpoint>,
    setWebhookEnabled: (id: string, enabled: boolean) =>
      unwrap(PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body: { enabled } })),
    deleteWebhook: (id: string) => unwrap(DELETE('/v1/webhooks/{id}', { params: { path: { id } } })),
    sendTestEvent: (id: string) => munja.webhooks.sendTestEvent(id),
    deliveries: (query: { endpointId?: string; cursor?: string } = {}) =>
      unwrap(GET('/v1/webhooks/deliveries', { params: { query } })) as Promise<Page<WebhookDelivery>>,
  };
}

/** The answer, or null when the service says 404 (a project with no 080 service yet). */
export async function orNullIfNotFound<T>(answer: Promise<T>): Promise<T | null> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof MunjaError && error.status === 404) return null;
    throw error;
  }
}
