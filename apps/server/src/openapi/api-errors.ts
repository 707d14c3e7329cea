import { ApiExtension, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { ErrorBody } from '../common/api-error';

/** The one error shape, as documented (every 4xx/5xx answer of the API). */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodySchema implements ErrorBody {
  @ApiProperty({ example: 422, description: 'the HTTP status again' })
  statusCode!: number;

  @ApiProperty({
    example: 'CALLING_NUMBER_NOT_APPROVED',
    pattern: '^[A-Z][A-Z0-9_]*$',
    description: 'stable and machine-readable: branch on this, not on the message',
  })
  code!: string;

  @ApiProperty({ example: 'from 0212345678 is not an APPROVED calling number of this project' })
  message!: string;

  @ApiPropertyOptional({
    example: 'from',
    description: 'the request field (dot path, e.g. `messages.0.to`) or header the error concerns',
  })
  field?: string;
}

/** The statuses a route may refuse with (401/403/500 are added to every route by its access). */
export type RefusalStatus = 400 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** A code, or a code with an example message and field. */
export type DocumentedCode = string | { code: string; message: string; field?: string };

export type RouteErrors = Partial<Record<RefusalStatus, readonly DocumentedCode[]>>;

export const ERRORS_EXTENSION = 'x-munja-errors';

/**
 * The refusals of a route, by status and code. The document builder turns them into responses in the one error
 * shape, with the codes in the description and one example per code.
 */
export function ApiErrors(errors: RouteErrors): MethodDecorator {
  return ApiExtension(ERRORS_EXTENSION, errors);
}
