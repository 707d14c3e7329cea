import { ApiError } from './api-error';
import { fieldPath, unstorableCharacter } from './storable-text';

/**
 * The deepest JSON a request body may nest. The deepest DTO (a send with messages[].…) is 3 levels; class-transformer
 * and class-validator recurse per level, so a body nested a thousand levels would overflow the stack before any
 * validation could refuse it.
 */
export const MAX_JSON_DEPTH = 32;

/** A refusal of the body before any transformation: 400 with the field it concerns. */
function refuse(code: string, message: string, field?: string): ApiError {
  return ApiError.badRequest(code, message, field);
}

/**
 * Checks a parsed JSON value without recursion (so no depth can overflow the stack): no deeper than
 * MAX_JSON_DEPTH, and no key or string PostgreSQL cannot store. Throws the first refusal.
 */
export function checkJsonValue(value: unknown, root = ''): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, path, depth } = item;
    if (typeof current === 'string') {
      const reason = unstorableCharacter(current);
      if (reason) {
        const field = path || 'body';
        throw refuse(
          'INVALID_CHARACTER',
          `${field} contains ${reason}, which cannot be stored; remove it`,
          field,
        );
      }
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw refuse(
        'TOO_DEEP',
        `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels (at ${path || 'body'}); no request needs that`,
        path || undefined,
      );
    }
    if (Array.isArray(current)) {
      current.forEach((element, index) =>
        pending.push({ value: element, path: fieldPath(path, index), depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, element] of Object.entries(current)) {
      const reason = unstorableCharacter(key);
      if (reason) {
        // The name itself is not repeated: it holds the character that cannot be stored.
        const field = path || 'body';
        throw refuse('INVALID_CHARACTER', `A field name in ${field} contains ${reason}; remove it`, field);
      }
      pending.push({ value: element, path: fieldPath(path, key), depth: depth + 1 });
    }
  }
}
