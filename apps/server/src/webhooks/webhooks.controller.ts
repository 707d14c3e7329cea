import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import { CurrentProject } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import {
  CreatedWebhookEndpointView,
  CreateWebhookEndpointDto,
  DeliveryPage,
  DeliveryView,
  ListDeliveriesQuery,
  SendTestEventDto,
  TestEventView,
  UpdateWebhookEndpointDto,
  WebhookEndpointList,
  WebhookEndpointView,
} from './webhooks.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { endpointView, WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookTestEvents } from './webhook-test-event';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly testEvents: WebhookTestEvents,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register an endpoint for message and reservation status events',
    description:
      'Events are POSTed as JSON, signed with `Munja-Signature: v1=<hex HMAC-SHA256(secret, "<Munja-Timestamp>.<body>")>`, ' +
      'retried with backoff for 24 h. The secret is shown only in this answer. At most 20 endpoints: ' +
      '422 WEBHOOK_ENDPOINT_LIMIT_REACHED.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointView })
  @ApiErrors({
    400: ['INVALID_URL', 'TOO_SHORT'],
    422: ['WEBHOOK_URL_NOT_ALLOWED', 'WEBHOOK_ENDPOINT_LIMIT_REACHED'],
  })
  async create(
    @CurrentProject() projectId: string,
    @Body() body: CreateWebhookEndpointDto,
  ): Promise<CreatedWebhookEndpointView> {
    return this.endpoints.create(projectId, body);
  }

  // Its own path, not /v1/webhooks/{id}/test: that would be ambiguous with /v1/webhooks/deliveries/{id}.
  @Post('test-events')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test event to an endpoint',
    description:
      'Queues one `webhook.test` event (data: `endpointId`, `message`) for that endpoint only, whatever its ' +
      'event types: it is signed, sent, retried and logged like any event, and appears in the delivery log. ' +
      '404 NOT_FOUND (field endpointId) for an unknown endpoint; 409 WEBHOOK_ENDPOINT_DISABLED when it is disabled.',
  })
  @ApiAcceptedResponse({ type: TestEventView })
  @ApiErrors({ 400: ['INVALID_UUID'], 404: ['NOT_FOUND'], 409: ['WEBHOOK_ENDPOINT_DISABLED'] })
  async sendTestEvent(
    @CurrentProject() projectId: string,
    @Body() body: SendTestEventDto,
  ): Promise<TestEventView> {
    return this.testEvents.queue(projectId, body.endpointId);
  }

  @Get()
  @ApiOperation({ summary: "The project's endpoints with their status (DISABLED with the reason)" })
  @ApiOkResponse({ type: WebhookEndpointList })
  async list(@CurrentProject() projectId: string): Promise<{ items: WebhookEndpointView[] }> {
    return { items: (await this.endpoints.list(projectId)).map(endpointView) };
  }

  // Declared before ':id' so the path is not read as an endpoint id.
  @Get('deliveries')
  @ApiOperation({
    summary: 'The delivery log, newest first, with every attempt (filter by endpoint, event, status)',
  })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiErrors({ 400: ['INVALID_CURSOR', 'INVALID_UUID', 'INVALID_INT'] })
  async listDeliveries(
    @CurrentProject() projectId: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<DeliveryPage> {
    return this.deliveries.list(projectId, query);
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'One delivery with its attempts' })
  @ApiOkResponse({ type: DeliveryView })
  async getDelivery(
    @CurrentProject() projectId: string,
    @Param('id', uuidPipe('id')) id: string,
  ): Promise<DeliveryView> {
    return this.deliveries.get(projectId, id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint' })
  @ApiOkResponse({ type: WebhookEndpointView })
  async get(
    @CurrentProject() projectId: string,
    @Param('id', uuidPipe('id')) id: string,
  ): Promise<WebhookEndpointView> {
    return endpointView(await this.endpoints.get(projectId, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Change an endpoint: url, secret, event types, description; `enabled: true` re-enables a disabled one',
  })
  @ApiOkResponse({ type: WebhookEndpointView })
  @ApiErrors({ 400: ['INVALID_URL', 'TOO_SHORT'], 422: ['WEBHOOK_URL_NOT_ALLOWED'] })
  async update(
    @CurrentProject() projectId: string,
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView> {
    return this.endpoints.update(projectId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log' })
  @ApiNoContentResponse({ description: 'deleted with its delivery log' })
  async remove(@CurrentProject() projectId: string, @Param('id', uuidPipe('id')) id: string): Promise<void> {
    await this.endpoints.remove(projectId, id);
  }
}
