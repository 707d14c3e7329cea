import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentProject, CurrentProjectKey, type ProjectPrincipal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { uuidPipe } from '../common/uuid.pipe';
import { readIdempotencyKey } from './idempotency';
import { MessagesService } from './messages.service';
import {
  MessageHistoryQuery,
  MessagePage,
  MessageView,
  RequestMessagesQuery,
  SendRequestView,
} from './results.dto';
import { ResultsService } from './results.service';
import { sendBodyPipe } from './send-body.pipe';
import { SendMessageDto } from './send-message.dto';

function readDryRun(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw ApiError.badRequest('INVALID_VALUE', 'dryRun must be true or false', 'dryRun');
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1')
export class MessagesController {
  constructor(
    private readonly sending: MessagesService,
    private readonly results: ResultsService,
  ) {}

  @Post('messages')
  @ApiOperation({
    summary: 'Send (or reserve) SMS/LMS/MMS/international messages to up to 1,000 recipients',
    description:
      'The SENS v2 body. 202 {requestId, requestTime, statusCode "202", statusName success|reserved, ' +
      'rejected[]} — recipients refused by the rules or the 080 list are listed with code and field and stored ' +
      'as failed messages; the others go. A refused request (unapproved `from`, AD without a COMPLETE 080 ' +
      'service, AD at night under the reject policy, bad content) is a 4xx and nothing is stored. ' +
      '`?dryRun=true` answers 200 with the full plan and stores nothing.',
  })
  @ApiBody({ type: SendMessageDto })
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'] })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'same key + same body → the first answer again; same key + another body → 409',
  })
  async send(
    @CurrentProjectKey() caller: ProjectPrincipal,
    // Declared `unknown` so the global pipe leaves it to sendBodyPipe (array paths as messages[3].to).
    @Body(sendBodyPipe) body: unknown,
    @Query('dryRun') dryRun: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const dto = body as SendMessageDto;
    const outcome = await this.sending.send(caller.projectId, dto, {
      apiKeyId: caller.apiKeyId,
      rawBody: dto,
      dryRun: readDryRun(dryRun),
      idempotencyKey: readIdempotencyKey(idempotencyKey),
    });
    if (outcome.kind === 'attached') {
      await reply.status(outcome.dryRun ? 200 : 202).send(outcome.answer);
      return;
    }
    if (outcome.kind === 'dryRun') {
      await reply.status(200).send(outcome.plan);
      return;
    }
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    await reply.status(202).send(outcome.answer);
  }

  @Get('messages')
  @ApiOperation({
    summary: 'Message history, newest first (request time within the last 30 days), with cursor pagination',
  })
  async history(
    @CurrentProject() projectId: string,
    @Query() query: MessageHistoryQuery,
  ): Promise<MessagePage> {
    return this.results.history(projectId, query);
  }

  @Get('messages/:messageId')
  @ApiOperation({
    summary: 'One message with its result (SENS result view fields, plus type, parts, completeTime)',
  })
  async message(
    @CurrentProject() projectId: string,
    @Param('messageId', uuidPipe('messageId')) messageId: string,
  ): Promise<MessageView> {
    return this.results.message(projectId, messageId);
  }

  @Get('requests/:requestId')
  @ApiOperation({ summary: 'A send request and its messages in recipient order (paginated)' })
  async request(
    @CurrentProject() projectId: string,
    @Param('requestId', uuidPipe('requestId')) requestId: string,
    @Query() query: RequestMessagesQuery,
  ): Promise<SendRequestView> {
    return this.results.request(projectId, requestId, query);
  }
}
