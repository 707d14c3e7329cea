import type { LimitProfile } from '@munja/rules';
import { imageSize } from 'image-size';
import { ApiError } from '../common/api-error';

export interface CheckedImage {
  contentType: string;
  width: number;
  height: number;
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };

/**
 * Checks an MMS image against a limit profile (SENS: JPEG, ≤ 300 KB, ≤ 1500 × 1440 px, name ≤ 40 characters
 * ending in .jpg/.jpeg). The type comes from the bytes (image-size), not from the name or the declared type.
 */
export function checkMmsImage(file: { name: string; bytes: Buffer }, profile: LimitProfile): CheckedImage {
  const limits = profile.mms;
  const name = file.name;
  const nameLength = [...name].length;
  if (nameLength === 0) throw ApiError.badRequest('FILE_NAME_EMPTY', 'The file needs a name', 'file.name');
  if (nameLength > limits.maxFileNameLength) {
    throw ApiError.badRequest(
      'FILE_NAME_TOO_LONG',
      `The file name has ${nameLength} characters; at most ${limits.maxFileNameLength} are allowed`,
      'file.name',
    );
  }
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (!extension || !limits.extensions.includes(extension)) {
    throw ApiError.badRequest(
      'INVALID_FILE_EXTENSION',
      `The file name must end in ${limits.extensions.map((e) => `.${e}`).join(' or ')}`,
      'file.name',
    );
  }
  if (file.bytes.length === 0) throw ApiError.badRequest('FILE_EMPTY', 'The file is empty', 'file');
  if (file.bytes.length > limits.maxFileBytes) {
    throw ApiError.badRequest(
      'FILE_TOO_LARGE',
      `The file has ${file.bytes.length} bytes; at most ${limits.maxFileBytes} are allowed`,
      'file',
    );
  }
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(file.bytes);
  } catch {
    throw ApiError.badRequest('INVALID_FILE_TYPE', 'The file is not an image', 'file');
  }
  const contentType = size.type ? CONTENT_TYPES[size.type] : undefined;
  if (!contentType || !limits.mimeTypes.includes(contentType)) {
    throw ApiError.badRequest(
      'INVALID_FILE_TYPE',
      `The file is ${size.type ?? 'unknown'}; accepted: ${limits.mimeTypes.join(', ')}`,
      'file',
    );
  }
  // EXIF orientation 5–8 swaps the sides as shown; phones show it that way, so limits apply to the shown sides.
  const swapped = (size.orientation ?? 1) >= 5;
  const width = swapped ? size.height : size.width;
  const height = swapped ? size.width : size.height;
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw ApiError.badRequest(
      'IMAGE_TOO_LARGE',
      `The image is ${width} × ${height} px; at most ${limits.maxWidth} × ${limits.maxHeight} are allowed`,
      'file',
    );
  }
  return { contentType, width, height };
}
