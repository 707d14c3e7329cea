/**
 * The GSM 03.38 default alphabet as used for international SMS: which UTF-16 code units it can carry and
 * at what cost in septets. Hand-written because no maintained runtime library exposes the table as data;
 * it is checked code unit by code unit against sms-segments-calculator's map in gsm7.spec.ts.
 */

/**
 * The 127 characters of the basic table (all 128 positions except ESC 0x1B), in table order.
 * Only capital Ç (U+00C7) is here: small ç forces UCS-2.
 */
export const GSM7_BASIC_CHARACTERS =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each costs two septets (ESC + code) in GSM-7 and one code unit in UCS-2. */
export const GSM7_EXTENSION_CHARACTERS = '\f^{}\\[~]|€';

/** Septets per code unit: 0 = not in GSM-7, 1 = basic table, 2 = extension table (escape pair). */
export const GSM7_SEPTETS: Readonly<Uint8Array> = (() => {
  const table = new Uint8Array(0x10000);
  for (let i = 0; i < GSM7_BASIC_CHARACTERS.length; i++) table[GSM7_BASIC_CHARACTERS.charCodeAt(i)] = 1;
  for (let i = 0; i < GSM7_EXTENSION_CHARACTERS.length; i++)
    table[GSM7_EXTENSION_CHARACTERS.charCodeAt(i)] = 2;
  return table;
})();

/** True when every character of `text` is in the GSM-7 basic or extension table (so it goes as GSM-7). */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (GSM7_SEPTETS[text.charCodeAt(i)] === 0) return false;
  }
  return true;
}

/** The characters of `text` that are not GSM-7 (each once, in order): what forces a message to UCS-2. */
export function nonGsm7Characters(text: string): string[] {
  const found = new Set<string>();
  for (const character of text) {
    if (character.length > 1 || GSM7_SEPTETS[character.charCodeAt(0)] === 0) found.add(character);
  }
  return [...found];
}
