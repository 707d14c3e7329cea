import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { SendMessageDto } from './send-message.dto';

const CODES: Record<string, string> = {
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  whitelistValidation: 'UNKNOWN_FIELD',
  maxLength: 'TOO_LONG',
  arrayMaxSize: 'TOO_MANY',
  arrayMinSize: 'TOO_FEW',
  isIn: 'INVALID_VALUE',
  isString: 'INVALID_STRING',
  isArray: 'INVALID_ARRAY',
  isUuid: 'INVALID_UUID',
  nestedValidation: 'INVALID_OBJECT',
};

/**
 * Which failed constraint to report: presence, then type, then the rest (length, size). class-validator runs a
 * property's decorators bottom-up, so their order in the DTO must not decide what the caller is told.
 */
const ORDER = [
  'isDefined',
  'isNotEmpty',
  'whitelistValidation',
  'isString',
  'isArray',
  'nestedValidation',
  'isIn',
  'isUuid',
];
function rank(name: string): number {
  const at = ORDER.indexOf(name);
  return at >= 0 ? at : ORDER.length;
}

/** `messages`, `3`, `to` → `messages[3].to`: the same paths @munja/rules and @munja/compliance report. */
function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** The first failing constraint, depth first, with its field path. */
export function firstSendBodyFailure(
  errors: readonly ValidationError[],
  parent = '',
): { field: string; code: string; message: string } | undefined {
  for (const error of errors) {
    const field = join(parent, error.property);
    const constraints = Object.entries(error.constraints ?? {}).sort(([a], [b]) => rank(a) - rank(b));
    const missing = error.value === undefined || error.value === null;
    const chosen = constraints[0];
    if (chosen) {
      const [name, text] = chosen;
      const code = missing ? 'REQUIRED' : (CODES[name] ?? `INVALID_${name.toUpperCase()}`);
      // class-validator names only the last property ("to must be a string"); say the whole path, once.
      const message = missing
        ? `${field} is required`
        : text.startsWith(`${error.property} `)
          ? `${field}${text.slice(error.property.length)}`
          : `${field}: ${text}`;
      return { field, code, message };
    }
    const nested = firstSendBodyFailure(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Validates the send body. It is bound to the parameter (whose declared type is `unknown`, so the global pipe
 * leaves it alone) because the send body reports array paths as `messages[3].to`, like the rules do.
 */
export const sendBodyPipe = new ValidationPipe({
  expectedType: SendMessageDto,
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => {
    const failure = firstSendBodyFailure(errors);
    if (!failure) return ApiError.badRequest('INVALID_REQUEST', 'The request is invalid');
    return ApiError.badRequest(failure.code, failure.message, failure.field);
  },
});
