import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiError } from './api-error';
import { checkJsonValue, MAX_JSON_DEPTH } from './json-body';
import { unstorableCharacter } from './storable-text';

function refusal(value: unknown): { code: string; field?: string } | undefined {
  try {
    checkJsonValue(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { code: error.code, field: error.field };
  }
}

function nest(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('checkJsonValue', () => {
  it('accepts nesting up to the limit and refuses one level more, at any depth without recursion', () => {
    expect(refusal(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(refusal(nest(MAX_JSON_DEPTH + 1))).toMatchObject({ code: 'TOO_DEEP' });
    expect(refusal(nest(200_000))).toMatchObject({ code: 'TOO_DEEP' });
  });

  it('names the field holding a NUL or an unpaired surrogate, with array indexes in brackets', () => {
    expect(refusal({ messages: [{ to: '010' }, { content: 'a\u0000' }] })).toEqual({
      code: 'INVALID_CHARACTER',
      field: 'messages[1].content',
    });
    expect(refusal({ subject: '\udc00' })).toEqual({ code: 'INVALID_CHARACTER', field: 'subject' });
    expect(refusal({ 'na\u0000me': 'x' })).toEqual({ code: 'INVALID_CHARACTER', field: 'body' });
    expect(refusal('\u0000')).toEqual({ code: 'INVALID_CHARACTER', field: 'body' });
  });

  it('accepts any storable JSON (paired surrogates, every other character) and refuses any with NUL', () => {
    const storable = fc.jsonValue({ maxDepth: 5 }).filter((value) => {
      const text = JSON.stringify(value);
      return !text.includes('\\u0000') && unstorableCharacter(text) === undefined;
    });
    fc.assert(
      fc.property(storable, (value) => {
        expect(refusal(value)).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        expect(refusal({ text: `${before}\u0000${after}` })).toEqual({
          code: 'INVALID_CHARACTER',
          field: 'text',
        });
      }),
    );
    expect(refusal({ emoji: '😀 \ud83d\ude00' })).toBeUndefined();
  });
});
