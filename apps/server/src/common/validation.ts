import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** class-validator constraint names → stable codes; anything unlisted becomes INVALID_<CONSTRAINT>. */
const CODES: Record<string, string> = {
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  whitelistValidation: 'UNKNOWN_FIELD',
  maxLength: 'TOO_LONG',
  minLength: 'TOO_SHORT',
  arrayMaxSize: 'TOO_MANY',
  arrayMinSize: 'TOO_FEW',
  isEnum: 'INVALID_VALUE',
  isIn: 'INVALID_VALUE',
  max: 'TOO_LARGE',
  min: 'TOO_SMALL',
};

function constraintCode(name: string): string {
  return (
    CODES[name] ??
    `INVALID_${name
      .replace(/^is/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toUpperCase()}`
  );
}

/**
 * Which failed constraint to report: presence, then type, then everything else (length, range). class-validator
 * runs decorators bottom-up, so their order in a DTO must not decide what the caller is told.
 */
const FIRST = [
  'isDefined',
  'isNotEmpty',
  'whitelistValidation',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
];
const THEN = ['isArray', 'isObject', 'isIn', 'isEnum', 'isUUID', 'isDateString', 'isISO8601'];
function rank(name: string): number {
  const first = FIRST.indexOf(name);
  if (first >= 0) return first;
  const then = THEN.indexOf(name);
  return then >= 0 ? FIRST.length + then : FIRST.length + THEN.length;
}

/** The first failing constraint, depth first, with its dotted field path. */
function firstFailure(
  errors: readonly ValidationError[],
  parent = '',
): { field: string; code: string; message: string } | undefined {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {}).sort(([a], [b]) => rank(a) - rank(b));
    // A missing value fails several constraints at once; say it is missing rather than, say, too short.
    const missing = error.value === undefined || error.value === null;
    const chosen = constraints[0];
    if (chosen) {
      const [name, text] = chosen;
      // class-validator names only the last property ("name must be a string"): the whole path, once.
      const message = missing
        ? `${field} is required`
        : text.startsWith(`${error.property} `)
          ? `${field}${text.slice(error.property.length)}`
          : `${field}: ${text}`;
      return { field, code: missing ? 'REQUIRED' : constraintCode(name), message };
    }
    const nested = firstFailure(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Global pipe: DTOs are whitelisted and transformed; a failure is a 400 with a code and the field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const failure = firstFailure(errors);
      if (!failure) return ApiError.badRequest('INVALID_REQUEST', 'The request is invalid');
      return ApiError.badRequest(failure.code, failure.message, failure.field);
    },
  });
}
