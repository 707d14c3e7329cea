import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const EVENT_TYPES = ['message.status_changed', 'reservation.status_changed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** What an endpoint may subscribe to: an event type, or `*` for every type (present and future). */
export const SUBSCRIPTIONS = [...EVENT_TYPES, '*'] as const;
/**
 * The event POST /v1/webhooks/test-events sends to that one endpoint, whatever it subscribes to: not a
 * subscription, only a type a delivery can carry.
 */
export const TEST_EVENT_TYPE = 'webhook.test';
export const DELIVERY_EVENT_TYPES = [...EVENT_TYPES, TEST_EVENT_TYPE] as const;

export const ENDPOINT_STATUSES = ['ENABLED', 'DISABLED'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const URL_OPTIONS = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_tld: false,
  require_valid_protocol: true,
};
const URL_MESSAGE = 'url must be an http:// or https:// URL';

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://example.com/munja/events' })
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url!: string;

  @ApiPropertyOptional({
    description: 'signing secret (16–200 characters); generated when absent. Shown only in this answer.',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @ApiProperty({ enum: SUBSCRIPTIONS, isArray: true, example: ['message.status_changed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUBSCRIPTIONS.length)
  @IsIn(SUBSCRIPTIONS, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ description: 'a new signing secret (16–200 characters)' })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ enum: SUBSCRIPTIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SUBSCRIPTIONS.length)
  @IsIn(SUBSCRIPTIONS, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ maxLength: 200, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({
    description: 'false disables the endpoint; true re-enables one (also one disabled for failing)',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export const MAX_DELIVERY_PAGE = 100;

export class ListDeliveriesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  endpointId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: MAX_DELIVERY_PAGE })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_DELIVERY_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API gave out' })
  cursor?: string;
}

export class WebhookEndpointView {
  @ApiProperty() id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: SUBSCRIPTIONS, isArray: true }) eventTypes!: string[];
  @ApiProperty({ enum: ENDPOINT_STATUSES }) status!: EndpointStatus;
  @ApiProperty({ type: String, nullable: true }) disabledAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why it was disabled (by the project or for failing)',
  })
  disabledReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'first failure since the last success' })
  failingSince!: string | null;
  @ApiProperty({ description: 'deliveries that finally failed in a row' }) consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true }) lastSuccessAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreatedWebhookEndpointView extends WebhookEndpointView {
  @ApiProperty({ description: 'the signing secret; not shown again' }) secret!: string;
}

export class DeliveryAttemptView {
  @ApiProperty() attempt!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ enum: ['DELIVERED', 'RETRY', 'FAILED'] }) outcome!: string;
}

export class DeliveryView {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: DELIVERY_EVENT_TYPES }) eventType!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ description: 'when the event happened' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptView] }) attemptLog!: DeliveryAttemptView[];
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] }) items!: DeliveryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SendTestEventDto {
  @ApiProperty({ description: 'the endpoint to send the test event to' })
  @IsUUID()
  endpointId!: string;
}

export class TestEventView {
  @ApiProperty({ description: 'the event id (also the Munja-Event-Id header of the POST)' }) eventId!: string;
  @ApiProperty({ description: 'its delivery in the log (GET /v1/webhooks/deliveries/{id})' })
  deliveryId!: string;
  @ApiProperty({ enum: [TEST_EVENT_TYPE] }) type!: string;
  @ApiProperty() createdAt!: string;
}

export class WebhookEndpointList {
  @ApiProperty({ type: [WebhookEndpointView] }) items!: WebhookEndpointView[];
}
