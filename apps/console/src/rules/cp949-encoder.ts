// Stands in for iconv-lite in the browser build (vite.config.ts aliases 'iconv-lite' here): @munja/rules asks
// iconv-lite only `encode(<one code unit>, 'cp949')` and reads the length (and the '?' it writes for a
// character CP949 lacks). This answers the same from a bit map that build/cp949-table.ts computes with
// iconv-lite at build time, so the console ships 8 KB instead of iconv-lite's 209 KB (gzipped) of tables.
// cp949-encoder.spec.ts checks it against iconv-lite for all 65,536 code units.
import table from 'virtual:cp949-table';

let map: Uint8Array | undefined;

function encodable(codeUnit: number): boolean {
  map ??= Uint8Array.from(atob(table), (character) => character.charCodeAt(0));
  return ((map[codeUnit >> 3] ?? 0) & (1 << (codeUnit & 7))) !== 0;
}

const QUESTION_MARK = Uint8Array.of(0x3f);

/**
 * Bytes with the length CP949 gives `text` (one code unit, as the rules ask): the ASCII byte itself, two
 * placeholder bytes for any other encodable character (only the length is read), '?' when CP949 lacks it.
 */
export function encode(text: string, encoding: string): Uint8Array {
  if (encoding.toLowerCase() !== 'cp949' || text.length !== 1) {
    throw new Error(`the console's CP949 table answers one code unit in cp949, not ${encoding} "${text}"`);
  }
  const codeUnit = text.charCodeAt(0);
  if (codeUnit < 0x80) return Uint8Array.of(codeUnit);
  return encodable(codeUnit) ? Uint8Array.of(0xa1, 0xa1) : QUESTION_MARK;
}
