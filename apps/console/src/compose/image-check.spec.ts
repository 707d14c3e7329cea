import { describe, expect, it } from 'vitest';
import { checkImageFile } from './image-check';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const keys = (problems: { key: string }[]) => problems.map((p) => p.key);

describe('MMS images are checked before upload', () => {
  it('takes a JPEG within every limit', () => {
    expect(
      checkImageFile({ name: 'coupon.jpg', size: 300 * 1024 }, JPEG, { width: 1500, height: 1440 }),
    ).toEqual([]);
  });

  it('refuses one byte, one pixel or one character over, and a PNG named .jpg', () => {
    expect(keys(checkImageFile({ name: 'a.jpg', size: 300 * 1024 + 1 }, JPEG, null))).toEqual([
      'image.tooBig',
    ]);
    expect(keys(checkImageFile({ name: 'a.jpg', size: 10 }, JPEG, { width: 1501, height: 10 }))).toEqual([
      'image.tooLarge',
    ]);
    expect(keys(checkImageFile({ name: 'a.jpg', size: 10 }, JPEG, { width: 10, height: 1441 }))).toEqual([
      'image.tooLarge',
    ]);
    expect(keys(checkImageFile({ name: `${'n'.repeat(37)}.jpg`, size: 10 }, JPEG, null))).toEqual([
      'image.name',
    ]);
    expect(keys(checkImageFile({ name: 'a.jpg', size: 10 }, PNG, null))).toEqual(['image.notJpeg']);
    expect(keys(checkImageFile({ name: 'a.png', size: 10 }, JPEG, null))).toEqual(['image.extension']);
  });
});
