import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * The client runs in browsers: its modules import only each other and openapi-fetch (no Node built-in, no
 * Node-only package), and use no Node global (Buffer, process, require) outside a guarded feature check.
 */
describe('the client sources are browser-safe', () => {
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));

  it.each(files)('%s imports only its siblings, its generated types and openapi-fetch', (name) => {
    const source = readFileSync(join(__dirname, name), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(imports.filter((target) => !target!.startsWith('./') && target !== 'openapi-fetch')).toEqual([]);
    expect(source).not.toMatch(/\bBuffer\.|\brequire\(|\bprocess\.env\b/);
  });
});
