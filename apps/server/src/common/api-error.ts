import { HttpStatus } from '@nestjs/common';

/** The body of every error answer. */
export interface ErrorBody {
  statusCode: number;
  /** stable, machine-readable, UPPER_SNAKE_CASE */
  code: string;
  message: string;
  /** the request field (dot path, e.g. `messages.0.to`) the error concerns */
  field?: string;
}

/** Thrown by services and guards; the global filter turns it into an ErrorBody answer. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(code: string, message: string, field?: string): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message, field);
  }

  static notFound(what: string, field?: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`, field);
  }

  static conflict(code: string, message: string, field?: string): ApiError {
    return new ApiError(HttpStatus.CONFLICT, code, message, field);
  }

  static unprocessable(code: string, message: string, field?: string): ApiError {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, field);
  }

  body(): ErrorBody {
    return {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
    };
  }
}
