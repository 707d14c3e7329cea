export {
  Munja,
  MessagesApi,
  ReservationsApi,
  WebhooksApi,
  BulkApi,
  type MunjaOptions,
  type SendOptions,
  type BulkSendInput,
  type BulkSendFields,
  type SendMessageRequest,
  type SendAnswer,
  type ScheduleAttachAnswer,
  type DryRun,
  type MessageView,
  type SendRequestView,
  type ReservationView,
  type DeliveryView,
  type TestEventView,
  type MessageHistoryQuery,
  type ReservationsQuery,
  type DeliveriesQuery,
  type BulkAnswer,
  type RequestProgress,
} from './munja';
export { MunjaError, parseRetryAfter, type ErrorBody } from './errors';
export { PagedList, type CursorPage } from './paging';
export { backoffMs, retryPolicy, type RetryOptions, type RetryPolicy } from './retry';
export type { RecipientsSource, UploadProgress } from './bulk-body';
export {
  verifyWebhook,
  DEFAULT_TOLERANCE_SECONDS,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type HeaderSource,
  type VerifyOptions,
} from './webhooks';
export type { components, paths } from './generated/openapi';
