import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { encode } from './cp949-encoder';

// The real iconv-lite, through Node's require (the Vite alias sends 'iconv-lite' imports to the stand-in).
const iconv = createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');

describe('the CP949 stand-in for iconv-lite', () => {
  it('gives every one of the 65,536 code units the length (and the unknown "?") iconv-lite gives', () => {
    const differences: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const character = String.fromCharCode(c);
      const real = iconv.encode(character, 'cp949');
      const ours = encode(character, 'cp949');
      const realUnknown = real.length === 1 && real[0] === 0x3f;
      const oursUnknown = ours.length === 1 && ours[0] === 0x3f;
      if (real.length !== ours.length || realUnknown !== oursUnknown) differences.push(c.toString(16));
    }
    expect(differences).toEqual([]);
  });

  it('knows the limits: ASCII, 똠 (CP949 only), 丁 (hanja), € and an emoji half (not in CP949)', () => {
    expect(encode('a', 'cp949')).toEqual(Uint8Array.of(0x61));
    expect(encode('똠', 'cp949')).toHaveLength(2);
    expect(encode('丁', 'cp949')).toHaveLength(2);
    expect(encode('€', 'cp949')).toHaveLength(2);
    expect(encode('\u0100', 'cp949')).toEqual(Uint8Array.of(0x3f));
    expect(encode('😀'[0]!, 'cp949')).toEqual(Uint8Array.of(0x3f));
  });

  it('refuses what the rules never ask (another encoding, more than one code unit)', () => {
    expect(() => encode('가', 'utf8')).toThrow(/cp949/);
    expect(() => encode('가나', 'cp949')).toThrow(/one code unit/);
  });
});
