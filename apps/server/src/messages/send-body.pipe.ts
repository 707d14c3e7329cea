import { type ArgumentMetadata, type PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { getMetadataStorage, isUUID, maxLength } from 'class-validator';
import { ApiError } from '../common/api-error';
import { fieldPath } from '../common/storable-text';
import { FileRefDto, RecipientDto, SendMessageDto } from './send-message.dto';

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

/** The first failing constraint, depth first, with its field path (`messages[3].to`, as the rules report). */
export function firstSendBodyFailure(
  errors: readonly ValidationError[],
  parent = '',
): { field: string; code: string; message: string } | undefined {
  for (const error of errors) {
    const field = fieldPath(parent, error.property);
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

/** The send body's class-validator DTO, through Nest's ValidationPipe: the source of truth and of every refusal. */
const sendBodyDtoPipe = new ValidationPipe({
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

/** The name of the send body's schema in the served OpenAPI document. */
export const SEND_BODY_SCHEMA = 'SendMessageDto';
const DOCUMENT_ID = 'munja:openapi';

/**
 * The send body's schema from the OpenAPI document, compiled by ajv. The document's schema is generated from
 * the DTOs (every constraint is declared in their @ApiProperty too); `format: uuid` and `maxLength` are checked
 * by class-validator's own predicates, which differ from JSON Schema's (a `urn:uuid:` prefix is a uuid to
 * ajv-formats).
 */
export function compileSendBodySchema(document: Pick<OpenAPIObject, 'components'>): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  ajv.addFormat('uuid', { type: 'string', validate: (text: string) => isUUID(text) });
  // validator.js (under class-validator) counts an emoji with its variation selector as one character.
  ajv.removeKeyword('maxLength');
  ajv.addKeyword({
    keyword: 'maxLength',
    type: 'string',
    schemaType: 'number',
    validate: (max: number, text: string) => maxLength(text, max),
  });
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components }, DOCUMENT_ID);
  return ajv.compile({ $ref: `${DOCUMENT_ID}#/components/schemas/${SEND_BODY_SCHEMA}` });
}

type SendBody = SendMessageDto & { messages: object[]; files?: object[] };

/** What class-transformer makes of a body the compiled schema accepted: the DTO classes, nothing converted. */
function asDto(body: SendBody): SendMessageDto {
  const dto = Object.assign(new SendMessageDto(), body);
  dto.messages = body.messages.map((recipient) => Object.assign(new RecipientDto(), recipient));
  if (body.files !== undefined) dto.files = body.files.map((file) => Object.assign(new FileRefDto(), file));
  return dto;
}

/** The properties of a DTO that may be left out (@IsOptional), from class-validator's metadata. */
function optionalProperties(dto: new () => object): readonly string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', false, false)
    .filter((rule) => rule.type === 'conditionalValidation')
    .map((rule) => rule.propertyName);
}
const OPTIONAL_FIELDS = optionalProperties(SendMessageDto);
const OPTIONAL_RECIPIENT_FIELDS = optionalProperties(RecipientDto);

function dropNulls(object: unknown, optional: readonly string[]): void {
  if (typeof object !== 'object' || object === null) return;
  const record = object as Record<string, unknown>;
  for (const field of optional) if (record[field] === null) delete record[field];
}

/**
 * `null` for an optional field is the field left out, as @IsOptional already has it (which otherwise passed the
 * null on: `reserveTime: null` failed the send with a 500). Removed in place, before either validation.
 */
export function withoutOptionalNulls(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  dropNulls(body, OPTIONAL_FIELDS);
  const { messages } = body as { messages?: unknown };
  if (Array.isArray(messages))
    for (const recipient of messages) dropNulls(recipient, OPTIONAL_RECIPIENT_FIELDS);
  return body;
}

/**
 * Validates the send body. It is bound to the parameter (whose declared type is `unknown`, so the global pipe
 * leaves it alone) because the send body reports array paths as `messages[3].to`, like the rules do.
 *
 * On the hot route, class-transformer and class-validator cost more than the rest of a single send (the CPU
 * profile in docs/benchmarks.md), so a body the compiled schema accepts is taken at once, as the DTO classes.
 * Any other body goes through the DTO, which refuses it with its code and field — or accepts what the schema
 * leaves to it: a number for `countryCode` (converted), prototype keys (dropped).
 * The schema accepts nothing the DTO refuses (send-body.pipe.spec.ts, a property test).
 */
export class SendBodyPipe implements PipeTransform {
  private compiled: ValidateFunction | undefined;

  /** Compiles the schema of the document the service serves (createApp, once the document is built). */
  useDocument(document: Pick<OpenAPIObject, 'components'>): void {
    this.compiled = compileSendBodySchema(document);
  }

  transform(value: unknown, metadata: ArgumentMetadata): SendMessageDto | Promise<SendMessageDto> {
    withoutOptionalNulls(value);
    if (this.compiled?.(value)) return asDto(value as SendBody);
    return sendBodyDtoPipe.transform(value, metadata) as Promise<SendMessageDto>;
  }
}

export const sendBodyPipe = new SendBodyPipe();
