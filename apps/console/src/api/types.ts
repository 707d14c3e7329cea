// The service's answers as the console reads them (from the served OpenAPI document, /docs-json, and the
// server's views). Only the fields the console shows are named.

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
}

export interface Project {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  /** only in the answer that issued it */
  key?: string;
}

export type CallingNumberStatus = 'READY' | 'IN-PROGRESS' | 'APPROVED' | 'REJECTED';

export interface CallingNumber {
  id: string;
  number: string;
  method: 'SMS' | 'DOCUMENT';
  status: CallingNumberStatus;
  rejectReason: string | null;
  requestedAt: string;
  updatedAt: string;
}

export interface OptOutService {
  id: string;
  status: 'PROCESSING' | 'COMPLETE' | 'CANCELED' | 'STOPPED';
  companyName: string;
  number080: string | null;
  appliedAt: string;
  completedAt: string | null;
  stoppedAt: string | null;
  canceledAt: string | null;
}

export interface BlockedNumber {
  number: string;
  source: string;
  createdAt: string;
}

export interface BlockListPage {
  items: BlockedNumber[];
  page: number;
  size: number;
  total: number;
}

export interface Recipient {
  to: string;
  subject?: string;
  content?: string;
}

export interface SendBody {
  type?: 'SMS' | 'LMS' | 'MMS';
  contentType?: 'COMM' | 'AD';
  countryCode?: string;
  from: string;
  subject?: string;
  content: string;
  messages: Recipient[];
  files?: { fileId: string }[];
  reserveTime?: string;
  reserveTimeZone?: string;
  scheduleCode?: string;
}

export interface RejectedRecipient {
  index: number;
  to: string;
  code: string;
  field: string;
  message: string;
}

export interface SendAnswer {
  requestId: string;
  requestTime: string;
  statusName: 'success' | 'reserved';
  reservationId: string | null;
  sendTime: string | null;
  deferred: boolean;
  accepted: number;
  rejected: RejectedRecipient[];
}

export interface PlannedRecipient {
  index: number;
  to: string;
  outcome: 'PLANNED';
  type: string;
  content: string;
  subject: string | null;
  bytes?: number;
  encoding?: string;
  parts?: number;
  labels?: string[];
  sendTime: string;
  route: string[];
}

export interface RefusedRecipient {
  index: number;
  to: string;
  outcome: 'BLOCKED' | 'REJECTED';
  code: string;
  field: string;
  message: string;
}

export interface DryRun {
  dryRun: true;
  contentType: string | null;
  sendTime: string | null;
  deferred: boolean;
  reservation: { sendTime: string; zone: string; local: string; adjustment: string } | null;
  policy: { nightWindow: string; adLabel: string };
  summary: { total: number; planned: number; rejected: number; blocked: number };
  recipients: (PlannedRecipient | RefusedRecipient)[];
}

export interface BulkAnswer {
  requestId: string;
  reservationId: string | null;
  accepted: number;
  rejected: number;
  rejectedRows: { line: number; to: string; code: string; field: string; message: string }[];
  rejectedRowsTruncated: boolean;
}

export interface Progress {
  requestId: string;
  total: number;
  accepted: number;
  rejected: number;
  reserved: number;
  queued: number;
  sending: number;
  sent: number;
  delivered: number;
  failed: number;
  canceled: number;
  done: boolean;
}

export interface Message {
  messageId: string;
  requestId: string;
  requestTime: string;
  type: string;
  contentType: string;
  countryCode: string;
  from: string;
  to: string;
  subject: string | null;
  content: string;
  status: string;
  state: string;
  statusName: string | null;
  statusCode: string | null;
  statusMessage: string | null;
  telcoCode: string | null;
  completeTime: string | null;
  sendTime: string | null;
  bytes: number | null;
  parts: number | null;
  encoding: string | null;
  reservationId: string | null;
  files: { fileId: string; name?: string }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryFilter {
  requestTimeFrom?: string;
  requestTimeTo?: string;
  type?: string;
  status?: string;
  from?: string;
  to?: string;
}

export interface Reservation {
  reservationId: string;
  requestId: string;
  sendTime: string;
  reserveTimeZone: string | null;
  status: string;
  createdAt: string;
  scheduleId: string | null;
  request: {
    type: string | null;
    contentType: string | null;
    from: string | null;
    subject: string | null;
    content: string | null;
    recipients: number;
  };
}

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

export interface ScheduleInput {
  code: string;
  weekdays: Weekday[] | 'EVERY_DAY';
  time: string;
  timeZone: string;
  startDate: string;
  endDate: string;
  description?: string;
}

export interface Schedule extends ScheduleInput {
  scheduleId: string;
  enabled: boolean;
  nextSendTime: string | null;
  upcoming: { sendTime: string; local: string }[];
  templates: number;
  recipients: number;
}

export interface Occurrence {
  occurrenceKey: string;
  sendTime: string;
  reservationId: string;
  status: string;
  skipReason: string | null;
  messages: {
    total: number;
    ready: number;
    processing: number;
    completed: number;
    success: number;
    fail: number;
  };
  requests: {
    requestId: string;
    accepted: number;
    rejected: number;
    refused: { code: string; message: string } | null;
  }[];
}

export interface UploadedFile {
  fileId: string;
  expiresAt: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  status: 'ENABLED' | 'DISABLED';
  disabledReason: string | null;
  /** only in the answer that registered it */
  secret?: string;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  createdAt: string;
  attemptLog: {
    at?: string;
    statusCode?: number | null;
    durationMs?: number;
    error?: string | null;
    outcome?: string;
  }[];
  [field: string]: unknown;
}
