/**
 * A fixed, seeded corpus of mixed messages for the benchmarks: same seed, same messages, every run.
 * Kinds: plain GSM-7 ASCII, GSM-7 with extension characters, Korean (Hangul with ASCII), and text with
 * emoji (single code points, skin tones, ZWJ sequences, flags, VS16). Lengths 1–800 characters.
 */

/** mulberry32: a small, well-known seeded PRNG (bench only; Math.random cannot be seeded). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII_WORDS = 'Your order has shipped code verify login at the store today thanks Munja 2026 OK'.split(
  ' ',
);
const GSM_EXTENSION = ['{', '}', '[', ']', '~', '^', '|', '€', '\\'];
const HANGUL_WORDS = '안녕하세요 주문이 배송 되었습니다 인증번호 는 입니다 감사합니다 고객님 예약 확인'.split(
  ' ',
);
const EMOJI = ['😀', '🎉', '👍', '❤️', '👍🏽', '👨‍👩‍👧', '🇰🇷', '✅', '🔥', '🏳️‍🌈'];

export type MessageKind = 'ascii' | 'gsm-extension' | 'hangul' | 'emoji';

export interface Corpus {
  messages: string[];
  kinds: Record<MessageKind, number>;
  totalCharacters: number;
}

export function buildCorpus(size: number, seed = 20261122): Corpus {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const kinds: Record<MessageKind, number> = { ascii: 0, 'gsm-extension': 0, hangul: 0, emoji: 0 };
  const messages: string[] = [];
  let totalCharacters = 0;
  for (let m = 0; m < size; m++) {
    const roll = random();
    const kind: MessageKind =
      roll < 0.35 ? 'ascii' : roll < 0.5 ? 'gsm-extension' : roll < 0.8 ? 'hangul' : 'emoji';
    kinds[kind]++;
    const length = 1 + Math.floor(random() * 800);
    let text = '';
    while (text.length < length) {
      const r = random();
      if (kind === 'hangul') text += r < 0.7 ? pick(HANGUL_WORDS) : pick(ASCII_WORDS);
      else if (kind === 'gsm-extension' && r < 0.15) text += pick(GSM_EXTENSION);
      else if (kind === 'emoji' && r < 0.15) text += pick(EMOJI);
      else if (kind === 'emoji' && r < 0.4) text += pick(HANGUL_WORDS);
      else text += pick(ASCII_WORDS);
      text += ' ';
    }
    // Cut at the length, but not inside a surrogate pair (a lone surrogate is not a realistic message).
    let end = length;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    const message = text.slice(0, Math.max(end, 1));
    totalCharacters += message.length;
    messages.push(message);
  }
  return { messages, kinds, totalCharacters };
}
