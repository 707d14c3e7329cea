/**
 * Text PostgreSQL cannot store: the NUL character (refused in `text` as "invalid byte sequence for encoding
 * UTF8: 0x00", and as `\u0000` in `jsonb`), and lone UTF-16 surrogates, which have no UTF-8 form (the driver
 * would silently store U+FFFD instead of what was sent).
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableCharacter(text: string): string | undefined {
  const match = UNSTORABLE.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000'
    ? 'the NUL character (U+0000)'
    : `an unpaired UTF-16 surrogate (U+${match[0].charCodeAt(0).toString(16).toUpperCase()})`;
}

/** `messages`, 3, `to` → `messages[3].to`: the paths @munja/rules, @munja/compliance and the send body report. */
export function fieldPath(parent: string, property: string | number): string {
  if (typeof property === 'number' || /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}
