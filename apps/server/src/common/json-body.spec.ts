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
  it('accepts nesting up to the limit and refuses one level more, at any depth (the walk stops at the limit)', () => {
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
    expect(refusal({ '7': { 'x\u0000': 1 } })).toEqual({ code: 'INVALID_CHARACTER', field: '[7]' });
  });

  it('names the first refused field in document order', () => {
    expect(refusal({ a: 'ok', b: ['\u0000', '\u0000'], c: '\u0000' })).toEqual({
      code: 'INVALID_CHARACTER',
      field: 'b[0]',
    });
    expect(refusal({ a: nest(MAX_JSON_DEPTH), b: '\u0000' })).toMatchObject({ code: 'TOO_DEEP' });
  });

  it('names the path of a NUL put anywhere in a storable body', () => {
    // The oracle: a path of keys and indexes written down while the value is built around the NUL.
    const segment = fc.oneof(
      fc
        .string({ minLength: 1, maxLength: 6 })
        .filter((k) => !k.includes('\u0000') && !unstorableCharacter(k)),
      fc.nat({ max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.string(), (path, text) => {
        let value: unknown = `${text}\u0000`;
        for (const key of [...path].reverse()) {
          if (typeof key === 'number') {
            const array: unknown[] = Array.from({ length: key }, () => 'ok');
            array.push(value);
            value = array;
          } else value = { [key]: value };
        }
        const expected = path.reduce<string>(
          (parent, key) =>
            typeof key === 'number' || /^\d+$/.test(key)
              ? `${parent}[${key}]`
              : parent
                ? `${parent}.${key}`
                : key,
          '',
        );
        expect(refusal(value)).toEqual({ code: 'INVALID_CHARACTER', field: expected });
      }),
    );
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
