// The MMS image limits the server enforces (SENS: JPEG, ≤ 300 KB, ≤ 1500 × 1440 px, name ≤ 40 characters
// ending .jpg/.jpeg, at most 3), checked in the browser before anything is uploaded.
import type { MessageKey } from '../messages';

export const IMAGE_LIMITS = {
  maxFiles: 3,
  maxBytes: 300 * 1024,
  maxWidth: 1500,
  maxHeight: 1440,
  maxNameLength: 40,
} as const;

export interface ImageProblem {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** JPEG by content, as the server checks it: the SOI marker and the start of the next marker (FF D8 FF). */
export function isJpegContent(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
}

export function checkImageFile(
  file: { name: string; size: number },
  head: Uint8Array,
  size: { width: number; height: number } | null,
): ImageProblem[] {
  const problems: ImageProblem[] = [];
  if (!/\.(jpe?g)$/i.test(file.name)) problems.push({ key: 'image.extension' });
  if (file.name.length > IMAGE_LIMITS.maxNameLength)
    problems.push({ key: 'image.name', values: { limit: IMAGE_LIMITS.maxNameLength } });
  if (!isJpegContent(head)) problems.push({ key: 'image.notJpeg' });
  if (file.size > IMAGE_LIMITS.maxBytes)
    problems.push({ key: 'image.tooBig', values: { kb: Math.ceil(file.size / 1024), limit: 300 } });
  if (size && (size.width > IMAGE_LIMITS.maxWidth || size.height > IMAGE_LIMITS.maxHeight)) {
    problems.push({
      key: 'image.tooLarge',
      values: {
        width: size.width,
        height: size.height,
        maxWidth: IMAGE_LIMITS.maxWidth,
        maxHeight: IMAGE_LIMITS.maxHeight,
      },
    });
  }
  return problems;
}
