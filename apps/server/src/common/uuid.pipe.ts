import { ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/**
 * Ids in paths are UUIDs. A malformed id answers 404 like an unknown one: whether an id exists, or looks
 * valid, tells a caller nothing about other projects.
 */
export function uuidPipe(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Resource', field) });
}
