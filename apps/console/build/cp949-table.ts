// Build-time only (Vite plugin, runs in Node): the set of BMP code units CP949 can carry, computed from
// iconv-lite itself (the encoder @munja/rules counts with on the server), as a 65,536-bit map in base64.
// The browser then needs 8 KB instead of iconv-lite's tables (209 KB gzipped, every encoding it knows).
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const require = createRequire(import.meta.url);

/** The module id the browser code imports the map from. */
export const CP949_TABLE_ID = 'virtual:cp949-table';
const RESOLVED_ID = `\0${CP949_TABLE_ID}`;

/** Bit c of the map is set when CP949 encodes the code unit c (every encodable one is 1 or 2 bytes). */
export function cp949Map(): Uint8Array {
  const iconv = require('iconv-lite') as typeof import('iconv-lite');
  const map = new Uint8Array(0x10000 / 8);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // lone surrogates have no encoding
    const encoded = iconv.encode(String.fromCharCode(c), 'cp949');
    // iconv-lite writes '?' for what its table lacks; only '?' itself legitimately encodes to 0x3F
    const unknown = encoded.length === 1 && encoded[0] === 0x3f && c !== 0x3f;
    if (unknown) continue;
    // the map says "encodable"; the length follows from the code unit (ASCII 1, others 2): checked here
    if (encoded.length !== (c < 0x80 ? 1 : 2)) {
      throw new Error(`CP949 encodes U+${c.toString(16)} in ${encoded.length} bytes: the map cannot say so`);
    }
    map[c >> 3]! |= 1 << (c & 7);
  }
  return map;
}

export function cp949TablePlugin(): Plugin {
  let source: string | undefined;
  return {
    name: 'munja-cp949-table',
    resolveId: (id) => (id === CP949_TABLE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      source ??= `export default ${JSON.stringify(Buffer.from(cp949Map()).toString('base64'))};`;
      return source;
    },
  };
}
