// The service's answers as the console reads them: the OpenAPI document's schemas, through @munja/client.
import type { components } from '@munja/client';

type Schemas = components['schemas'];

export type Project = Schemas['ProjectView'];
export type ApiKey = Schemas['ApiKeyView'] & { key?: string };
export type CallingNumber = Schemas['CallingNumberView'];
export type CallingNumberStatus = CallingNumber['status'];
export type OptOutService = Schemas['OptOutServiceView'];
export type BlockedNumber = Schemas['BlockedNumberView'];
export type BlockListPage = Schemas['BlockedNumberPage'];
export type SendBody = Schemas['SendMessageDto'];
export type SendAnswer = Schemas['SendAnswer'];
export type DryRun = Schemas['DryRun'];
export type PlannedRecipient = Schemas['PlannedRecipient'];
export type RefusedRecipient = Schemas['RefusedRecipient'];
export type BulkAnswer = Schemas['BulkAnswer'];
export type Progress = Schemas['RequestProgress'];
export type Message = Schemas['MessageView'];
export type Reservation = Schemas['ReservationView'];
export type Schedule = Schemas['ScheduleView'];
export type Weekday = Schedule['weekdays'][number];
/** The document types `weekdays` loosely (a list or 'EVERY_DAY'); the console sends one of the two. */
export type ScheduleInput = Omit<Schemas['CreateScheduleDto'], 'weekdays'> & {
  weekdays: Weekday[] | 'EVERY_DAY';
};
export type Occurrence = Schemas['Occurrence'];
export type UploadedFile = Schemas['FileView'];
export type WebhookEndpoint = Schemas['WebhookEndpointView'] & { secret?: string };
export type WebhookDelivery = Schemas['DeliveryView'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryFilter {
  requestTimeFrom?: string;
  requestTimeTo?: string;
  type?: 'SMS' | 'LMS' | 'MMS' | 'INTL';
  status?: 'READY' | 'PROCESSING' | 'COMPLETED';
  from?: string;
  to?: string;
}
