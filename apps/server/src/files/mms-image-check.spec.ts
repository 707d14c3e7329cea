import { describe, expect, it } from '@jest/globals';
import { PROFILES } from '@munja/rules';
import { fakeJpeg, fakePng } from '../../test/support/images';
import { ApiError } from '../common/api-error';
import { checkMmsImage } from './mms-image-check';

const profile = PROFILES.SENS;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return `${error.code}@${error.field}`;
    throw error;
  }
}

describe('checkMmsImage (SENS profile)', () => {
  it.each([
    ['a.jpg', 1500, 1440, 300 * 1024, undefined],
    ['a.jpg', 1501, 1440, 1024, 'IMAGE_TOO_LARGE@file'],
    ['a.jpg', 1500, 1441, 1024, 'IMAGE_TOO_LARGE@file'],
    ['a.jpg', 100, 100, 300 * 1024 + 1, 'FILE_TOO_LARGE@file'],
    ['a.JPEG', 1, 1, 100, undefined],
    [`${'n'.repeat(36)}.jpg`, 10, 10, 100, undefined],
    [`${'n'.repeat(37)}.jpg`, 10, 10, 100, 'FILE_NAME_TOO_LONG@file.name'],
    [`${'가'.repeat(36)}.jpg`, 10, 10, 100, undefined],
    ['a.png', 10, 10, 100, 'INVALID_FILE_EXTENSION@file.name'],
    ['noextension', 10, 10, 100, 'INVALID_FILE_EXTENSION@file.name'],
    ['', 10, 10, 100, 'FILE_NAME_EMPTY@file.name'],
  ])('%s %i×%i %i bytes → %s', (name, width, height, bytes, expected) => {
    expect(codeOf(() => checkMmsImage({ name, bytes: fakeJpeg(width, height, bytes) }, profile))).toBe(
      expected,
    );
  });

  it('reads the size from the bytes', () => {
    expect(checkMmsImage({ name: 'x.jpg', bytes: fakeJpeg(640, 480) }, profile)).toEqual({
      contentType: 'image/jpeg',
      width: 640,
      height: 480,
    });
  });

  it('refuses a PNG named .jpg, garbage and an empty file', () => {
    expect(codeOf(() => checkMmsImage({ name: 'x.jpg', bytes: fakePng(10, 10) }, profile))).toBe(
      'INVALID_FILE_TYPE@file',
    );
    expect(codeOf(() => checkMmsImage({ name: 'x.jpg', bytes: Buffer.from('hello world') }, profile))).toBe(
      'INVALID_FILE_TYPE@file',
    );
    expect(codeOf(() => checkMmsImage({ name: 'x.jpg', bytes: Buffer.alloc(0) }, profile))).toBe(
      'FILE_EMPTY@file',
    );
  });
});
