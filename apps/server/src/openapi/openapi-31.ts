/**
 * @nestjs/swagger writes OpenAPI 3.0; the service publishes 3.1, whose schemas are JSON Schema 2020-12. This
 * rewrites the 3.0-only forms of a schema: `nullable: true` becomes a `null` type (or an `anyOf` with null around
 * a reference), `example` becomes `examples: [...]`, a binary string becomes `contentMediaType`, and boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numbers.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords whose value is one schema. */
const ONE_SCHEMA = [
  'items',
  'not',
  'additionalProperties',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];

/** One schema in 3.1 form (a new object; the input is left as it was). */
export function schemaTo31(input: unknown): unknown {
  if (!isObject(input)) return input;
  const schema: Json = { ...input };
  for (const key of ONE_SCHEMA) if (isObject(schema[key])) schema[key] = schemaTo31(schema[key]);
  for (const key of SCHEMA_LISTS) {
    if (Array.isArray(schema[key])) schema[key] = (schema[key] as unknown[]).map(schemaTo31);
  }
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isObject(map)) {
      schema[key] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, schemaTo31(value)]));
    }
  }

  if ('example' in schema) {
    if (!('examples' in schema)) schema.examples = [schema.example];
    delete schema.example;
  }
  if (schema.type === 'string' && schema.format === 'binary') {
    delete schema.format;
    schema.contentMediaType = 'application/octet-stream';
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[flag] === 'boolean') {
      if (schema[flag] === true && typeof schema[bound] === 'number') {
        schema[flag] = schema[bound];
        delete schema[bound];
      } else {
        delete schema[flag];
      }
    }
  }

  if (schema.nullable === true) return withNull(schema);
  delete schema.nullable;
  return schema;
}

function withNull(schema: Json): Json {
  delete schema.nullable;
  if (typeof schema.$ref === 'string' || Array.isArray(schema.allOf)) {
    // A reference cannot take a type; the null goes beside it. Annotations (description…) stay outside.
    // @nestjs/swagger writes `type: object` beside a class reference; the type belongs to the referenced schema.
    const { $ref, allOf, type: _type, ...rest } = schema;
    const parts = allOf as unknown[] | undefined;
    // A single-member allOf is how @nestjs/swagger wraps a reference; the reference itself is enough.
    const target = $ref !== undefined ? { $ref } : parts?.length === 1 ? parts[0] : { allOf };
    return { ...rest, anyOf: [target, { type: 'null' }] };
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null'))
    schema.type = [...schema.type, 'null'];
  return schema;
}

/** Every schema of a document (components, parameters, bodies, responses, headers) in 3.1 form. */
export function documentTo31<T extends object>(input: T): T {
  const document = structuredClone(input) as Json;
  document.openapi = '3.1.0';
  const components = isObject(document.components) ? document.components : {};
  if (isObject(components.schemas)) {
    components.schemas = Object.fromEntries(
      Object.entries(components.schemas).map(([name, schema]) => [name, schemaTo31(schema)]),
    );
  }
  const convertContent = (holder: Json) => {
    if (!isObject(holder.content)) return;
    for (const media of Object.values(holder.content)) {
      if (isObject(media) && media.schema !== undefined) media.schema = schemaTo31(media.schema);
    }
  };
  const convertHeaders = (holder: Json) => {
    if (!isObject(holder.headers)) return;
    for (const header of Object.values(holder.headers)) {
      if (isObject(header) && header.schema !== undefined) header.schema = schemaTo31(header.schema);
    }
  };
  for (const item of Object.values(isObject(document.paths) ? document.paths : {})) {
    if (!isObject(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isObject(operation)) continue;
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (isObject(parameter) && parameter.schema !== undefined)
          parameter.schema = schemaTo31(parameter.schema);
      }
      if (isObject(operation.requestBody)) convertContent(operation.requestBody);
      for (const response of Object.values(isObject(operation.responses) ? operation.responses : {})) {
        if (!isObject(response)) continue;
        convertContent(response);
        convertHeaders(response);
      }
    }
  }
  return document as T;
}
