import { describe, it, expect } from '@jest/globals';
import UnicodeToGsm from 'sms-segments-calculator/dist/libs/UnicodeToGSM';
import {
  GSM7_BASIC_CHARACTERS,
  GSM7_EXTENSION_CHARACTERS,
  GSM7_SEPTETS,
  isGsm7,
  nonGsm7Characters,
} from './gsm7';

describe('GSM 03.38 tables', () => {
  it('has 127 basic and 10 extension characters, all distinct', () => {
    expect(GSM7_BASIC_CHARACTERS).toHaveLength(127);
    expect(GSM7_EXTENSION_CHARACTERS).toHaveLength(10);
    expect(new Set(GSM7_BASIC_CHARACTERS + GSM7_EXTENSION_CHARACTERS).size).toBe(137);
  });

  it("matches sms-segments-calculator's map for every UTF-16 code unit (1 septet, 2 with escape, or none)", () => {
    // [code unit, ours, theirs] for every code unit where the tables differ (one expect: 65,536 took seconds)
    const differing: [number, number | undefined, number][] = [];
    for (let c = 0; c < 0x10000; c++) {
      const theirs = UnicodeToGsm[c];
      const septets = theirs === undefined ? 0 : theirs.length;
      if (GSM7_SEPTETS[c] !== septets) differing.push([c, GSM7_SEPTETS[c], septets]);
    }
    expect(differing).toEqual([]);
  });

  it.each([
    ['Ç', true],
    ['ç', false],
    ['$', true],
    ['¤', true],
    ['`', false],
    ['€', true],
    ['ΔΦΓΛΩΠΨΣΘΞ', true],
    ['α', false],
    ['Á', false],
    ['\r\n\f', true],
    ['😀', false],
    ['', true],
  ])('isGsm7(%j) is %s', (text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });

  it('lists the characters that force UCS-2, once each', () => {
    expect(nonGsm7Characters('ça ç va 😀 {ok}')).toEqual(['ç', '😀']);
  });
});
