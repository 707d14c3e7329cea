import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Controller, Get, Header, Headers, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../openapi/idempotency-headers';
import { BulkAnswerSchema, RequestProgressSchema } from './bulk.views';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentProject } from '../auth/principal';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiError } from '../common/api-error';
import { MULTIPART_ROUTE } from '../common/http-edge';
import { uuidPipe } from '../common/uuid.pipe';
import { readIdempotencyKey } from '../messages/idempotency';
import { MAX_REQUEST_PART_CHARS, readBulkRequest } from './bulk-request';
import { BULK_FILE_LIMIT, BulkSendService, MAX_BULK_RECIPIENTS, type BulkAnswer } from './bulk-send.service';
import { ProgressService, type RequestProgress } from './progress.service';

/** The template `GET /v1/messages/bulk/template` serves. */
export const BULK_TEMPLATE = 'to,subject,content\r\n010-1234-5678,,"안녕하세요, 문자입니다"\r\n';

function partOrder(): ApiError {
  return ApiError.badRequest(
    'REQUEST_PART_REQUIRED',
    'The `request` part (the common fields, JSON) must come before the `recipients` file',
    'request',
  );
}

/** Reads a file part to its end without keeping it (a refused or extra part). */
async function discard(file: Readable): Promise<void> {
  file.resume();
  await finished(file).catch(() => undefined);
}

@ApiTags('messages')
@Controller('v1')
export class BulkController {
  constructor(
    private readonly bulk: BulkSendService,
    private readonly progressOf: ProgressService,
  ) {}

  @Post('messages/bulk')
  @RouteConfig(MULTIPART_ROUTE)
  @ApiOperation({
    summary: `Send one message to up to ${MAX_BULK_RECIPIENTS.toLocaleString('en')} recipients from a CSV`,
    description:
      'multipart/form-data: the part `request` (JSON: the POST /v1/messages fields without `messages`) and then ' +
      'the file part `recipients` (CSV `to[,subject][,content]` with a header row, or one number per line). ' +
      '202 {requestId, accepted, rejected, rejectedRows[{line, to, code, field, message}]}: bad rows are ' +
      'refused by line and the others go. More rows than the limit: 422 TOO_MANY_RECIPIENTS, nothing stored.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['request', 'recipients'],
      properties: {
        request: { type: 'string', description: 'JSON: the POST /v1/messages fields without `messages`' },
        recipients: { type: 'string', format: 'binary', description: 'CSV `to[,subject][,content]`' },
      },
    },
  })
  @ApiAcceptedResponse({ type: BulkAnswerSchema, headers: IDEMPOTENT_REPLAYED_HEADER })
  @ApiErrors({
    400: [
      'MULTIPART_REQUIRED',
      'REQUEST_PART_REQUIRED',
      'UNKNOWN_PART',
      'REQUIRED',
      'INVALID_JSON',
      'INVALID_IDEMPOTENCY_KEY',
      'FILE_TOO_LARGE',
      'CSV_HEADER_REQUIRED',
      'CSV_MALFORMED',
      'CSV_UNKNOWN_COLUMN',
      'CSV_DUPLICATE_COLUMN',
      'CSV_FIELD_COUNT',
      'NO_RECIPIENTS',
    ],
    409: ['IDEMPOTENCY_KEY_REUSED'],
    413: ['PAYLOAD_TOO_LARGE'],
    415: ['UNSUPPORTED_MEDIA_TYPE'],
    422: [
      'TOO_MANY_RECIPIENTS',
      'CALLING_NUMBER_NOT_APPROVED',
      'AD_OPT_OUT_SERVICE_REQUIRED',
      'AD_NIGHT_WINDOW',
      'RESERVE_TIME_IN_PAST',
    ],
  })
  async send(
    @CurrentProject() projectId: string,
    @Req() request: FastifyRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!request.isMultipart()) {
      throw ApiError.badRequest(
        'MULTIPART_REQUIRED',
        'Send multipart/form-data: `request`, then `recipients`',
      );
    }
    // Every part is read to the end even after a refusal, so the answer never races the upload.
    let refusal: unknown;
    let fields: ReturnType<typeof readBulkRequest> | undefined;
    let outcome: { answer: BulkAnswer; replayed: boolean } | undefined;
    const parts = request.parts({ limits: { fileSize: BULK_FILE_LIMIT, fieldSize: MAX_REQUEST_PART_CHARS } });
    for await (const part of parts) {
      if (refusal !== undefined || outcome !== undefined) {
        if (part.type === 'file') await discard(part.file);
        continue;
      }
      try {
        if (part.type === 'field') {
          if (part.fieldname !== 'request' || fields !== undefined) {
            throw ApiError.badRequest('UNKNOWN_PART', `Unexpected part "${part.fieldname}"`, part.fieldname);
          }
          fields = readBulkRequest(String(part.value));
          continue;
        }
        if (part.fieldname !== 'recipients') {
          throw ApiError.badRequest(
            'UNKNOWN_PART',
            `Unexpected file part "${part.fieldname}"`,
            part.fieldname,
          );
        }
        if (fields === undefined) throw partOrder();
        outcome = await this.bulk.send(projectId, fields, part.file, readIdempotencyKey(idempotencyKey));
      } catch (error) {
        refusal = error;
        if (part.type === 'file') await discard(part.file);
      }
    }
    if (refusal !== undefined) throw refusal;
    if (fields === undefined) throw partOrder();
    if (outcome === undefined) {
      throw ApiError.badRequest('REQUIRED', 'The file part `recipients` (CSV) is required', 'recipients');
    }
    if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
    await reply.status(202).send(outcome.answer);
  }

  @Get('messages/bulk/template')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="munja-recipients.csv"')
  @ApiOperation({ summary: 'A recipients CSV template: header `to,subject,content` and an example row' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'the CSV template', schema: { type: 'string', example: BULK_TEMPLATE } })
  template(): string {
    return BULK_TEMPLATE;
  }

  @Get('requests/:requestId/progress')
  @ApiOperation({
    summary:
      "A send request's progress: accepted, rejected, reserved, queued, sending, sent, delivered... (at most 1 s old)",
  })
  @ApiOkResponse({ type: RequestProgressSchema })
  async progress(
    @CurrentProject() projectId: string,
    @Param('requestId', uuidPipe('requestId')) requestId: string,
  ): Promise<RequestProgress> {
    return this.progressOf.progress(projectId, requestId);
  }
}
