import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Access } from '../auth/principal';
import { DATABASE_RETRY_AFTER_SECONDS } from '../common/database-unavailable';
import { ERRORS_EXTENSION, ErrorBodySchema, type DocumentedCode, type RouteErrors } from './api-errors';
import { documentTo31 } from './openapi-31';
import { routeAccess } from './route-access';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const API_KEY_SCHEME = 'apiKey';
export const OPERATOR_KEY_SCHEME = 'operatorKey';

/** Codes of the global validation pipe and of Fastify's body parsing (common/validation.ts, error.filter.ts). */
const VALIDATION_CODES = [
  'REQUIRED',
  'UNKNOWN_FIELD',
  'INVALID_VALUE',
  'INVALID_STRING',
  'INVALID_INT',
  'INVALID_BOOLEAN',
  'INVALID_ARRAY',
  'TOO_LONG',
  'TOO_SHORT',
  'TOO_LARGE',
  'TOO_SMALL',
  'TOO_MANY',
  'TOO_FEW',
];
const JSON_BODY_CODES = ['INVALID_JSON', 'TOO_DEEP', 'INVALID_CHARACTER', ...VALIDATION_CODES];

const EXAMPLE_MESSAGES: Record<string, { message: string; field?: string }> = {
  UNAUTHENTICATED: { message: 'Send the API key as `Authorization: Bearer <key>`', field: 'Authorization' },
  INVALID_API_KEY: { message: 'The API key is unknown or revoked', field: 'Authorization' },
  PROJECT_KEY_REQUIRED: { message: 'This action needs a project API key' },
  OPERATOR_KEY_REQUIRED: { message: 'This action needs the operator key' },
  NOT_FOUND: { message: 'Resource not found' },
  INVALID_JSON: { message: 'Body is not valid JSON' },
  PAYLOAD_TOO_LARGE: { message: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { message: 'Unsupported Media Type: text/plain' },
  INTERNAL_ERROR: { message: 'Internal server error' },
  DATABASE_UNAVAILABLE: {
    message: `The database cannot be reached right now; nothing was changed. Retry in ${DATABASE_RETRY_AFTER_SECONDS} s`,
  },
  INVALID_CHARACTER: { message: 'content contains a NUL character; remove it', field: 'content' },
  TOO_DEEP: { message: 'The JSON body is nested deeper than 32 levels' },
  REQUIRED: { message: 'name should not be empty', field: 'name' },
  UNKNOWN_FIELD: { message: 'property colour should not exist', field: 'colour' },
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key may not call this route',
  404: 'Not found (a malformed id in the path is also 404)',
  409: 'Conflicts with the current state',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Well-formed but refused by a limit or a rule',
  429: 'Too many requests: wait `Retry-After` seconds',
  500: 'Unexpected failure',
  503: 'Not available now: retry after `Retry-After` seconds',
};

function errorResponse(status: number, codes: readonly DocumentedCode[]): Json {
  const entries = codes.map((entry) =>
    typeof entry === 'string'
      ? { code: entry, ...(EXAMPLE_MESSAGES[entry] ?? { message: `(${entry})` }) }
      : entry,
  );
  const unique = [...new Map(entries.map((entry) => [entry.code, entry])).values()];
  return {
    description: `${STATUS_TEXT[status] ?? 'Refused'}. Codes: ${unique.map((e) => `\`${e.code}\``).join(', ')}.`,
    ...(status === 429 || status === 503
      ? {
          headers: {
            'Retry-After': {
              description: 'seconds to wait before trying again',
              schema: { type: 'integer', minimum: 0 },
            },
          },
        }
      : {}),
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/ErrorBody' },
        examples: Object.fromEntries(
          unique.map((entry) => [
            entry.code,
            {
              value: {
                statusCode: status,
                code: entry.code,
                message: entry.message,
                ...(entry.field === undefined ? {} : { field: entry.field }),
              },
            },
          ]),
        ),
      },
    },
  };
}

/** The refusals every route has by its shape: access, path ids, JSON body, query parameters. */
function implicitErrors(operation: Json, access: Access): Map<number, DocumentedCode[]> {
  const errors = new Map<number, DocumentedCode[]>();
  const add = (status: number, ...codes: DocumentedCode[]) =>
    errors.set(status, [...(errors.get(status) ?? []), ...codes]);
  const parameters = (Array.isArray(operation.parameters) ? operation.parameters : []) as Json[];
  const body =
    isObject(operation.requestBody) && isObject(operation.requestBody.content)
      ? operation.requestBody.content
      : undefined;
  if (body?.['application/json']) {
    add(400, ...JSON_BODY_CODES);
    add(413, 'PAYLOAD_TOO_LARGE');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (parameters.some((p) => p.in === 'query')) add(400, ...VALIDATION_CODES);
  // NUL and unpaired surrogates are refused in any path parameter or query value (common/http-edge.ts).
  if (parameters.some((p) => p.in === 'query' || p.in === 'path')) add(400, 'INVALID_CHARACTER');
  if (body?.['multipart/form-data']) {
    add(400, 'MULTIPART_BOUNDARY_REQUIRED');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (access !== 'public') {
    add(401, 'UNAUTHENTICATED', 'INVALID_API_KEY');
    add(403, access === 'operator' ? 'OPERATOR_KEY_REQUIRED' : 'PROJECT_KEY_REQUIRED');
  }
  if (parameters.some((p) => p.in === 'path')) add(404, 'NOT_FOUND');
  add(500, 'INTERNAL_ERROR');
  // Health documents its own 503 (the readiness checks' report).
  if (!isObject(operation.responses) || !('503' in operation.responses)) add(503, 'DATABASE_UNAVAILABLE');
  return errors;
}

/** Sets each operation's security by its access and writes its refusals as responses in the error shape. */
function documentAccessAndErrors(document: OpenAPIObject, access: Map<string, Access>): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Json)) {
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const level = access.get(operation.operationId);
      if (level === undefined) throw new Error(`no access known for operation ${operation.operationId}`);
      operation.security =
        level === 'public' ? [] : [{ [level === 'operator' ? OPERATOR_KEY_SCHEME : API_KEY_SCHEME]: [] }];
      const errors = implicitErrors(operation, level);
      const declared = (operation[ERRORS_EXTENSION] ?? {}) as RouteErrors;
      delete operation[ERRORS_EXTENSION];
      for (const [status, codes] of Object.entries(declared)) {
        errors.set(Number(status), [...(errors.get(Number(status)) ?? []), ...(codes ?? [])]);
      }
      const responses = (operation.responses ?? {}) as Json;
      for (const [status, codes] of [...errors].sort(([a], [b]) => a - b)) {
        responses[String(status)] = errorResponse(status, codes);
      }
      operation.responses = responses;
    }
  }
}

/**
 * Response objects are closed: a field the document does not name is drift (the contract test validates every
 * answer against this document). Request bodies are closed too, as the validation pipe refuses unknown fields.
 */
function closeObjects(document: OpenAPIObject): void {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if (isObject(schema) && isObject(schema.properties) && !('additionalProperties' in schema)) {
      schema.additionalProperties = false;
    }
  }
}

/** The service's OpenAPI 3.1 document, as served at /docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Munja')
    .setDescription(
      'Korean domestic SMS/LMS/MMS and international SMS. Project routes take a project API key as ' +
        '`Authorization: Bearer <key>`; operator routes (projects, keys, approvals) take the operator key the ' +
        'same way. Every refusal is JSON `{statusCode, code, message, field?}`: branch on `code`. Sends accept an ' +
        '`Idempotency-Key` header: the same key with the same body answers the first answer again.',
    )
    .setVersion('0.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Served by the service it describes: a relative URL is the origin the document was fetched from.
    .addServer('/', 'the service serving this document')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'A project API key (POST /v1/projects/{projectId}/keys)',
      },
      API_KEY_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The operator key (MUNJA_OPERATOR_KEY, or printed at start)',
      },
      OPERATOR_KEY_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodySchema] });
  documentAccessAndErrors(document, routeAccess(app));
  closeObjects(document);
  return documentTo31(document);
}
