import iconv from 'iconv-lite';

/** Bytes of the text as SENS sends it (EUC-KR / CP949); the fake counts on its own with iconv-lite. */
export function cp949Bytes(text: string): number {
  return iconv.encode(text, 'cp949').length;
}

/** false when the text has a character CP949 cannot carry (an emoji, say): SENS fails such a message. */
export function cp949CanCarry(text: string): boolean {
  return iconv.decode(iconv.encode(text, 'cp949'), 'cp949') === text;
}

/** The longest prefix of whole characters within `maxBytes`: SENS cuts over-long text rather than refusing it. */
export function truncateToBytes(text: string, maxBytes: number): string {
  if (cp949Bytes(text) <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = cp949Bytes(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}
