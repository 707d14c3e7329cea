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

/** Where the walk of `checkJsonValue` is: the keys from the root down, turned into a field path only for a refusal. */
interface Trail {
  readonly root: string;
  readonly keys: (string | number)[];
}

const pathOf = (trail: Trail): string => trail.keys.reduce<string>(fieldPath, trail.root);

/**
 * Checks a parsed JSON value: no deeper than MAX_JSON_DEPTH, and no key or string PostgreSQL cannot store.
 * Throws the first refusal in document order. The walk refuses a container at the depth limit before entering it,
 * so it never recurses more than MAX_JSON_DEPTH frames, whatever the body's depth. It runs on every JSON request:
 * the field's path is built only for a refusal, not for every value.
 */
export function checkJsonValue(value: unknown, root = ''): void {
  visit(value, 0, { root, keys: [] });
}

function visit(current: unknown, depth: number, trail: Trail): void {
  if (typeof current === 'string') {
    const reason = unstorableCharacter(current);
    if (reason) {
      const field = pathOf(trail) || 'body';
      throw refuse(
        'INVALID_CHARACTER',
        `${field} contains ${reason}, which cannot be stored; remove it`,
        field,
      );
    }
    return;
  }
  if (typeof current !== 'object' || current === null) return;
  if (depth >= MAX_JSON_DEPTH) {
    const path = pathOf(trail);
    throw refuse(
      'TOO_DEEP',
      `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels (at ${path || 'body'}); no request needs that`,
      path || undefined,
    );
  }
  const { keys } = trail;
  if (Array.isArray(current)) {
    for (let index = 0; index < current.length; index++) {
      keys.push(index);
      visit(current[index], depth + 1, trail);
      keys.pop();
    }
    return;
  }
  const object = current as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const reason = unstorableCharacter(key);
    if (reason) {
      // The name itself is not repeated: it holds the character that cannot be stored.
      const field = pathOf(trail) || 'body';
      throw refuse('INVALID_CHARACTER', `A field name in ${field} contains ${reason}; remove it`, field);
    }
    keys.push(key);
    visit(object[key], depth + 1, trail);
    keys.pop();
  }
}
