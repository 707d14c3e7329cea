import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { ApiError } from '../common/api-error';
import {
  compileSendBodySchema,
  SEND_BODY_SCHEMA,
  SendBodyPipe,
  sendBodyPipe,
  withoutOptionalNulls,
} from './send-body.pipe';
import { FileRefDto, MAX_RECIPIENTS, RecipientDto, SendMessageDto } from './send-message.dto';

/** The document the service serves (test/api.e2e.spec.ts (contract) keeps the committed copy equal to it). */
const document = JSON.parse(
  readFileSync(join(__dirname, '../../../../packages/client/openapi.json'), 'utf8'),
) as OpenAPIObject;
const compiled = new SendBodyPipe();
compiled.useDocument(document);
const schemaValid = compileSendBodySchema(document);

const metadata = { type: 'body', metatype: Object } as const;
const valid = { from: '0212345678', content: 'hi', messages: [{ to: '01011112222' }] };

type Outcome = { accepted: unknown } | { refused: ReturnType<ApiError['body']> };
async function outcome(pipe: { transform: SendBodyPipe['transform'] }, body: unknown): Promise<Outcome> {
  try {
    // Each pipe gets its own copy: Nest's ValidationPipe strips prototype keys in place.
    return { accepted: await pipe.transform(structuredClone(body), metadata) };
  } catch (error) {
    if (error instanceof ApiError) return { refused: error.body() };
    throw error;
  }
}

async function failure(pipe: SendBodyPipe, body: unknown): Promise<ReturnType<ApiError['body']>> {
  const result = await outcome(pipe, body);
  if ('refused' in result) return result.refused;
  throw new Error('the body was accepted');
}

describe.each([
  ['the DTO alone (no document compiled)', sendBodyPipe],
  ['the compiled schema, then the DTO', compiled],
])('send body validation: %s', (_name, pipe) => {
  it('accepts a SENS body and gives a SendMessageDto', async () => {
    const dto = await pipe.transform({ ...valid, countryCode: 82 }, metadata);
    expect(dto).toBeInstanceOf(SendMessageDto);
    expect(dto).toMatchObject({ countryCode: '82' });
    const plain = await pipe.transform(
      { ...valid, files: [{ fileId: '9b2f8f0e-1111-4222-8333-444455556666' }] },
      metadata,
    );
    expect(plain).toBeInstanceOf(SendMessageDto);
    expect(plain.messages[0]).toBeInstanceOf(RecipientDto);
    expect(plain.files?.[0]).toBeInstanceOf(FileRefDto);
  });

  it('takes null for an optional field as the field left out, and refuses it for a required one', async () => {
    const dto = await pipe.transform(
      { ...valid, reserveTime: null, scheduleCode: null, messages: [{ to: '01011112222', content: null }] },
      metadata,
    );
    expect(Object.entries(dto).filter(([, v]) => v !== undefined)).toEqual(
      Object.entries({ ...valid, messages: dto.messages }),
    );
    expect(dto.messages[0]!.content).toBeUndefined();
    expect(await failure(pipe, { ...valid, from: null })).toMatchObject({ code: 'REQUIRED', field: 'from' });
  });

  it.each([
    [
      { ...valid, messages: [{ to: '01011112222' }, { to: '01011112223' }, { to: '01011112224' }, {}] },
      'REQUIRED',
      'messages[3].to',
    ],
    [{ ...valid, messages: [{ to: 1 }] }, 'INVALID_STRING', 'messages[0].to'],
    [{ ...valid, messages: [{ to: '' }] }, 'REQUIRED', 'messages[0].to'],
    [{ ...valid, messages: [{ to: 'x'.repeat(41) }] }, 'TOO_LONG', 'messages[0].to'],
    [{ ...valid, messages: ['01011112222'] }, 'INVALID_OBJECT', 'messages[0]'],
    [{ ...valid, messages: 'x' }, 'INVALID_ARRAY', 'messages'],
    [{ ...valid, files: [{ fileId: 'x' }] }, 'INVALID_UUID', 'files[0].fileId'],
    [
      { ...valid, files: [{ fileId: 'urn:uuid:9b2f8f0e-1111-4222-8333-444455556666' }] },
      'INVALID_UUID',
      'files[0].fileId',
    ],
    [{ ...valid, files: [{}] }, 'REQUIRED', 'files[0].fileId'],
    [{ ...valid, messages: [{ to: '01011112222', bcc: 1 }] }, 'UNKNOWN_FIELD', 'messages[0].bcc'],
    [{ ...valid, content: 1 }, 'INVALID_STRING', 'content'],
    [{ ...valid, type: 'sms' }, 'INVALID_VALUE', 'type'],
  ])('refuses %j with %s on %s', async (body, code, field) => {
    const answer = await failure(pipe, body);
    expect(answer).toMatchObject({ statusCode: 400, code, field });
    // The message names the whole path, not only the last property.
    expect(answer.message.startsWith(field)).toBe(true);
  });

  it('refuses 1,001 recipients and takes 1,000', async () => {
    const messages = Array.from({ length: MAX_RECIPIENTS + 1 }, () => ({ to: '01011112222' }));
    expect(await failure(pipe, { ...valid, messages })).toMatchObject({
      code: 'TOO_MANY',
      field: 'messages',
    });
    await expect(
      Promise.resolve(pipe.transform({ ...valid, messages: messages.slice(1) }, metadata)),
    ).resolves.toBeInstanceOf(SendMessageDto);
  });

  it.each([[[]], ['text'], [null]])('refuses a body that is not an object: %j', async (body) => {
    const answer = await failure(pipe, body);
    expect(answer.statusCode).toBe(400);
  });
});

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: { $ref?: string };
  [keyword: string]: unknown;
};
const schemas = document.components!.schemas as Record<string, Schema>;

describe('the served schema of the send body states every constraint of its DTOs', () => {
  // class-validator constraint → what the schema must say of the property (the limits being the same).
  const expected: Record<string, (constraints: unknown[]) => Record<string, unknown>> = {
    isString: () => ({ type: 'string' }),
    isArray: () => ({ type: 'array' }),
    maxLength: ([max]) => ({ maxLength: max }),
    isNotEmpty: () => ({ minLength: 1 }),
    arrayMinSize: ([min]) => ({ minItems: min }),
    arrayMaxSize: ([max]) => ({ maxItems: max }),
    isIn: ([values]) => ({ enum: values }),
    isUuid: () => ({ format: 'uuid' }),
  };
  it.each([
    [SEND_BODY_SCHEMA, SendMessageDto],
    ['RecipientDto', RecipientDto],
    ['FileRefDto', FileRefDto],
  ])('%s', (name, dto) => {
    const schema = schemas[name]!;
    const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
    const optional = new Set(
      rules.filter((r) => r.type === 'conditionalValidation').map((r) => r.propertyName),
    );
    const properties = new Set(rules.map((r) => r.propertyName));
    expect(new Set(Object.keys(schema.properties!))).toEqual(properties);
    expect(new Set(schema.required)).toEqual(new Set([...properties].filter((p) => !optional.has(p))));
    expect(schema.additionalProperties).toBe(false);
    for (const rule of rules) {
      const property = schema.properties![rule.propertyName]!;
      if (rule.type === 'nestedValidation') {
        expect(property.items?.$ref).toMatch(/^#\/components\/schemas\//);
        continue;
      }
      if (rule.type !== 'customValidation') continue;
      const name = rule.name ?? rule.constraintCls.name;
      const statement = expected[name];
      if (!statement) throw new Error(`${dto.name}.${rule.propertyName}: no schema keyword for @${name}`);
      expect({ [rule.propertyName]: property }).toMatchObject({
        [rule.propertyName]: statement(rule.constraints ?? []),
      });
    }
  });
});

/** Strings around every limit of the DTOs, in characters that count differently (surrogate pairs, selectors). */
const LIMITS = [0, 1, 8, 20, 40, 64, 1000, 20_000];
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 6 }) },
  fc.constantFrom(
    'SMS',
    'LMS',
    'MMS',
    'COMM',
    'AD',
    'sms',
    '82',
    '1',
    '9b2f8f0e-1111-4222-8333-444455556666',
  ),
  fc.constantFrom('urn:uuid:9b2f8f0e-1111-4222-8333-444455556666', '9B2F8F0E-1111-4222-8333-444455556666'),
  fc
    .tuple(
      fc.constantFrom(...LIMITS),
      fc.integer({ min: -1, max: 1 }),
      fc.constantFrom('x', '가', '😀', '\u2764\uFE0F'),
    )
    .map(([limit, off, unit]) => unit.repeat(Math.max(0, limit + off))),
);
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }) },
);
const UUID = '9b2f8f0e-1111-4222-8333-444455556666';
/**
 * An object with `required` and some other `fields`: with `noisy`, a field is now and then any value instead of a
 * valid-looking one, and another key is now and then added.
 */
const record = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[], noisy: boolean) =>
  fc
    .tuple(
      fc.record(
        Object.fromEntries(
          Object.entries(fields).map(([key, good]) => [
            key,
            noisy ? fc.oneof({ weight: 12, arbitrary: good }, value) : good,
          ]),
        ),
        { requiredKeys: required },
      ),
      noisy
        ? fc.option(fc.tuple(fc.constantFrom('bcc', 'constructor', 'prototype', 'Messages'), value), {
            freq: 2,
          })
        : fc.constant(null),
    )
    .map(([object, extra]) => (extra ? { ...object, [extra[0]]: extra[1] } : object));

const bodyOf = (noisy: boolean) => {
  const recipient = fc.oneof(
    {
      weight: 8,
      arbitrary: record({ to: fc.constant('01011112222'), subject: text, content: text }, ['to'], noisy),
    },
    ...(noisy ? [record({ subject: text }, [], true), value] : []),
  );
  const file = fc.oneof(
    {
      weight: 8,
      arbitrary: record({ fileId: fc.constantFrom(UUID, UUID.toUpperCase()) }, ['fileId'], noisy),
    },
    ...(noisy ? [record({ fileId: text }, [], true), value] : []),
  );
  const fields = {
    type: fc.constantFrom('SMS', 'LMS', 'MMS'),
    contentType: fc.constantFrom('COMM', 'AD'),
    countryCode: fc.constantFrom('82', '1', 82),
    from: fc.constant('0212345678'),
    subject: text,
    content: text,
    messages: fc.oneof(
      { weight: 20, arbitrary: fc.array(recipient, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: MAX_RECIPIENTS, max: MAX_RECIPIENTS + 1 })
          .map((n) => Array<unknown>(n).fill({ to: '01011112222' })),
      },
    ),
    files: fc.array(file, { maxLength: 11 }),
    reserveTime: text,
    reserveTimeZone: text,
    scheduleCode: text,
  };
  return record(fields, noisy ? [] : ['from', 'content', 'messages'], noisy);
};
const body = fc.oneof(bodyOf(false), bodyOf(true));

/** What the DTO takes and the compiled schema leaves to it: it converts or drops these, the schema refuses them. */
function dtoOnly(input: unknown): boolean {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const top = input as Record<string, unknown>;
  const objects = [top, ...[top.messages, top.files].flatMap((list) => (Array.isArray(list) ? list : []))];
  return (
    typeof top.countryCode === 'number' ||
    objects.some(
      (object) =>
        typeof object === 'object' &&
        object !== null &&
        Object.keys(object).some((key) => key === 'constructor' || key === 'prototype'),
    )
  );
}

describe('the compiled schema and the DTO decide alike', () => {
  it('a body the schema accepts, the DTO accepts as the same SendMessageDto; refusals are the DTO’s', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: body }, value), async (candidate) => {
        // as it arrives: parsed JSON
        const input = JSON.parse(JSON.stringify(candidate)) as unknown;
        const byDto = await outcome(sendBodyPipe, input);
        const byPipe = await outcome(compiled, input);
        expect(byPipe).toStrictEqual(byDto);
        if (schemaValid(withoutOptionalNulls(structuredClone(input)))) {
          expect('accepted' in byDto).toBe(true);
          accepted += 1;
        } else if ('accepted' in byDto) {
          // the only bodies the schema leaves to the DTO although it takes them
          expect(dtoOnly(input)).toBe(true);
        } else {
          refused += 1;
        }
      }),
      { numRuns: 500, seed: 16 },
    );
    // both sides of the decision were exercised
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
