import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ComplianceError } from '@munja/compliance';
import { RuleError } from '@munja/rules';
import { ApiError, ErrorBody } from './api-error';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';
import { complianceStatus } from './domain-errors';
import { acceptedMediaType } from './http-edge';

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  431: 'HEADERS_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Fastify's own errors (bad JSON, body too large) carry a statusCode and an FST_ code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'MULTIPART_REQUIRED',
  FST_REQ_FILE_TOO_LARGE: 'FILE_TOO_LARGE',
};

function fastifyErrorBody(error: FastifyLikeError, statusCode: number): ErrorBody {
  const code = (error.code && FASTIFY_CODES[error.code]) ?? STATUS_CODES[statusCode] ?? `HTTP_${statusCode}`;
  return { statusCode, code, message: error.message ?? 'Bad request' };
}

/** busboy's (multipart) own errors are plain Errors: a body that ends mid-part is the client's fault. */
const MULTIPART_FAILURES = [
  'Unexpected end of multipart data',
  'terminated early due to unexpected end of multipart',
];

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof ApiError) return exception.body();
  if (isDatabaseUnavailable(exception)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'DATABASE_UNAVAILABLE',
      message: `The database cannot be reached right now; nothing was changed. Retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
    };
  }
  if (exception instanceof Error && MULTIPART_FAILURES.some((text) => exception.message.includes(text))) {
    return {
      statusCode: 400,
      code: 'MALFORMED_MULTIPART',
      message: `The multipart/form-data body is malformed: ${exception.message}`,
    };
  }
  if (exception instanceof ComplianceError) {
    return {
      statusCode: complianceStatus(exception.code),
      code: exception.code,
      message: exception.message,
      field: exception.field,
    };
  }
  if (exception instanceof RuleError) {
    return { statusCode: 400, code: exception.code, message: exception.message, field: exception.field };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    // The Fastify adapter wraps Fastify's own 4xx errors (bad JSON, body too large) and keeps them as the cause.
    const cause = exception.cause as FastifyLikeError | undefined;
    if (cause && typeof cause.code === 'string' && cause.code.startsWith('FST_'))
      return fastifyErrorBody(cause, statusCode);
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : exception.message;
    return { statusCode, code: STATUS_CODES[statusCode] ?? `HTTP_${statusCode}`, message };
  }
  const fastify = exception as FastifyLikeError;
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return fastifyErrorBody(fastify, fastify.statusCode);
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_ERROR',
    message: 'Internal server error',
  };
}

/** Every error answer has the shape {statusCode, code, message, field?}. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = toErrorBody(exception);
    const reply = http.getResponse<FastifyReply>();
    if (body.code === 'UNSUPPORTED_MEDIA_TYPE' && body.field === undefined) {
      const accepted = acceptedMediaType(http.getRequest<FastifyRequest>());
      body.message = `This route takes ${accepted} (Content-Type: ${accepted})`;
      body.field = 'Content-Type';
    }
    if (body.code === 'DATABASE_UNAVAILABLE') {
      void reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      this.logger.warn(
        `database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    } else if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    void reply.status(body.statusCode).send(body);
  }
}
