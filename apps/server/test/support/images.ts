/**
 * Minimal image files for upload tests: just the headers image-size reads, padded to a chosen size.
 * A JPEG here is SOI, a JFIF APP0 segment, a baseline SOF0 segment with the dimensions, comment segments as
 * padding, EOI.
 */
const JFIF = Buffer.from([
  0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
]);

export function fakeJpeg(width: number, height: number, totalBytes = 1024): Buffer {
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), JFIF, sof]);
  const tail = Buffer.from([0xff, 0xd9]);
  let padding = totalBytes - head.length - tail.length;
  const chunks: Buffer[] = [head];
  // COM segments carry at most 65,533 bytes each.
  while (padding > 0) {
    const body = Math.min(padding - 4, 65533);
    if (body < 0) break;
    const segment = Buffer.alloc(4 + body, 0x20);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(body + 2, 2);
    chunks.push(segment);
    padding -= segment.length;
  }
  chunks.push(tail);
  return Buffer.concat(chunks);
}

/** A PNG header (signature + IHDR) with the given size. */
export function fakePng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(2, 17);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    ihdr,
    Buffer.alloc(12),
  ]);
}
