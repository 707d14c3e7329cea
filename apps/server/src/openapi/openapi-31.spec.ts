import { describe, expect, it } from '@jest/globals';
import { documentTo31, schemaTo31 } from './openapi-31';

describe('OpenAPI 3.0 schemas in 3.1 form', () => {
  it.each([
    ['a nullable string', { type: 'string', nullable: true }, { type: ['string', 'null'] }],
    [
      'a nullable enum',
      { type: 'string', enum: ['a', 'b'], nullable: true },
      { type: ['string', 'null'], enum: ['a', 'b', null] },
    ],
    [
      'a nullable reference',
      { $ref: '#/components/schemas/X', nullable: true, description: 'd' },
      { description: 'd', anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] },
    ],
    [
      'a nullable allOf of one reference',
      { type: 'object', allOf: [{ $ref: '#/components/schemas/X' }], nullable: true },
      { anyOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] },
    ],
    [
      'a nullable allOf of two',
      { allOf: [{ $ref: '#/a' }, { $ref: '#/b' }], nullable: true },
      { anyOf: [{ allOf: [{ $ref: '#/a' }, { $ref: '#/b' }] }, { type: 'null' }] },
    ],
    ['nullable: false', { type: 'integer', nullable: false }, { type: 'integer' }],
    ['an example', { type: 'string', example: 'x' }, { type: 'string', examples: ['x'] }],
    [
      'a binary string',
      { type: 'string', format: 'binary' },
      { type: 'string', contentMediaType: 'application/octet-stream' },
    ],
    [
      'a boolean exclusive bound',
      { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false },
      { type: 'number', exclusiveMinimum: 0, maximum: 5 },
    ],
  ])('%s', (_what, input, expected) => {
    expect(schemaTo31(input)).toEqual(expected);
  });

  it('reaches nested properties, items and combinators, leaving the input as it was', () => {
    const input = {
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: 'string', nullable: true } },
        either: { oneOf: [{ type: 'integer', nullable: true }, { $ref: '#/x' }] },
      },
    };
    const copy = structuredClone(input);
    expect(schemaTo31(input)).toEqual({
      type: 'object',
      properties: {
        list: { type: 'array', items: { type: ['string', 'null'] } },
        either: { oneOf: [{ type: ['integer', 'null'] }, { $ref: '#/x' }] },
      },
    });
    expect(input).toEqual(copy);
  });

  it('converts the schemas of components, parameters, bodies, responses and headers', () => {
    const nullable = { type: 'string', nullable: true };
    const converted = documentTo31({
      openapi: '3.0.0',
      components: { schemas: { A: nullable } },
      paths: {
        '/a': {
          post: {
            parameters: [{ name: 'q', in: 'query', schema: nullable }],
            requestBody: { content: { 'application/json': { schema: nullable } } },
            responses: {
              '200': {
                description: '',
                headers: { H: { schema: nullable } },
                content: { 'application/json': { schema: nullable } },
              },
            },
          },
        },
      },
    });
    const text = JSON.stringify(converted);
    expect(converted.openapi).toBe('3.1.0');
    expect(text).not.toContain('nullable');
    expect(text.match(/\["string","null"\]/g)).toHaveLength(5);
  });
});
