import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentProject, CurrentProjectKey, type ProjectPrincipal } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import { ApiErrors } from '../openapi/api-errors';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../openapi/idempotency-headers';
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
import { answerSend } from './send-route';
import { DryRunSchema, ScheduleAttachAnswerSchema, SendAnswerSchema } from './send-answer.views';
import { SendMessageDto } from './send-message.dto';

/** Codes a send can be refused with as a whole (nothing stored); recipients' own refusals are in `rejected`. */
const SEND_REFUSALS = {
  400: [
    'INVALID_IDEMPOTENCY_KEY',
    'INVALID_VALUE',
    'INVALID_UUID',
    'TOO_MANY',
    'TOO_FEW',
    'NO_RECIPIENTS',
    'INVALID_CONTENT_TYPE',
    'INVALID_SEND_TIME',
    'INVALID_RESERVE_TIME',
    'INVALID_TIME_ZONE',
    'CONTENT_EMPTY',
    'CONTENT_TOO_LONG',
    'SUBJECT_TOO_LONG',
    'SUBJECT_NOT_ALLOWED',
    'UNENCODABLE_CHARACTER',
    'INVALID_TYPE',
    'TOO_MANY_FILES',
    'FILES_NOT_ALLOWED',
    'INVALID_FILE_COUNT',
    'TOO_MANY_PARTS',
    'INVALID_COUNTRY_CODE',
    'IDEMPOTENCY_KEY_NOT_SUPPORTED',
    'RESERVE_TIME_NOT_ALLOWED',
  ],
  404: ['SCHEDULE_NOT_FOUND', 'FILE_NOT_FOUND'],
  409: [
    {
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used with another request body',
      field: 'Idempotency-Key',
    },
  ],
  422: [
    {
      code: 'CALLING_NUMBER_NOT_APPROVED',
      message: 'from 0212345678 is not an APPROVED calling number of this project',
      field: 'from',
    },
    'CALLING_NUMBER_NOT_REGISTERED',
    'AD_OPT_OUT_SERVICE_REQUIRED',
    'AD_NIGHT_WINDOW',
    'AD_LABEL_MISSING',
    'AD_SENDER_NAME_MISSING',
    'AD_OPT_OUT_NOTICE_MISSING',
    'AD_SENDER_NAME_REQUIRED',
    'AD_INTERNATIONAL_NOT_SUPPORTED',
    'UNSUPPORTED_COUNTRY',
    'SIGNATURE_REQUIRED',
    'RESERVE_TIME_IN_PAST',
    'RESERVE_TIME_BEYOND_HORIZON',
    'FILE_EXPIRED',
    'TOO_MANY_TEMPLATES',
  ],
} as const;

@ApiTags('messages')
@ApiExtraModels(SendAnswerSchema, ScheduleAttachAnswerSchema, DryRunSchema)
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
  @ApiBody({
    type: SendMessageDto,
    examples: {
      sms: {
        summary: 'One text to two recipients',
        value: {
          from: '0212345678',
          content: '안녕하세요',
          messages: [{ to: '010-1234-5678' }, { to: '01022223333' }],
        },
      },
      reserved: {
        summary: 'An LMS reserved for a Seoul wall time',
        value: {
          type: 'LMS',
          from: '0212345678',
          subject: '공지',
          content: '내일 오전 10시에 점검이 있습니다.',
          messages: [{ to: '010-1234-5678' }],
          reserveTime: '2026-03-05 14:30',
          reserveTimeZone: 'Asia/Seoul',
        },
      },
      ad: {
        summary: 'An AD send (labels and the 080 notice added under the insert policy)',
        value: {
          contentType: 'AD',
          from: '0212345678',
          content: '봄 세일 50%',
          messages: [{ to: '010-1234-5678' }],
        },
      },
    },
  })
  @ApiQuery({ name: 'dryRun', required: false, enum: ['true', 'false'] })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiResponse({
    status: 202,
    description:
      'Accepted: stored to be sent (or reserved). With `scheduleCode`: attached to the schedule instead.',
    headers: IDEMPOTENT_REPLAYED_HEADER,
    schema: {
      oneOf: [{ $ref: getSchemaPath(SendAnswerSchema) }, { $ref: getSchemaPath(ScheduleAttachAnswerSchema) }],
    },
  })
  @ApiResponse({
    status: 200,
    description: '`?dryRun=true`: the full plan; nothing is stored',
    schema: {
      oneOf: [{ $ref: getSchemaPath(DryRunSchema) }, { $ref: getSchemaPath(ScheduleAttachAnswerSchema) }],
    },
  })
  @ApiErrors(SEND_REFUSALS)
  async send(
    @CurrentProjectKey() caller: ProjectPrincipal,
    // Declared `unknown` so the global pipe leaves it to sendBodyPipe (array paths as messages[3].to).
    @Body(sendBodyPipe) body: unknown,
    @Query('dryRun') dryRun: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerSend(this.sending, caller, body as SendMessageDto, dryRun, idempotencyKey, reply);
  }

  @Get('messages')
  @ApiOperation({
    summary: 'Message history, newest first (request time within the last 30 days), with cursor pagination',
  })
  @ApiOkResponse({ type: MessagePage })
  @ApiErrors({ 400: ['INVALID_CURSOR', 'INVALID_ISO8601', 'INVALID_TIME_RANGE', 'INVALID_INT'] })
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
  @ApiOkResponse({ type: MessageView })
  async message(
    @CurrentProject() projectId: string,
    @Param('messageId', uuidPipe('messageId')) messageId: string,
  ): Promise<MessageView> {
    return this.results.message(projectId, messageId);
  }

  @Get('requests/:requestId')
  @ApiOperation({ summary: 'A send request and its messages in recipient order (paginated)' })
  @ApiOkResponse({ type: SendRequestView })
  @ApiErrors({ 400: ['INVALID_INT'] })
  async request(
    @CurrentProject() projectId: string,
    @Param('requestId', uuidPipe('requestId')) requestId: string,
    @Query() query: RequestMessagesQuery,
  ): Promise<SendRequestView> {
    return this.results.request(projectId, requestId, query);
  }
}
