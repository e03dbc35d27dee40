/** Image formats a book may carry (the EPUB 3 core media types), recognised by content, not by name. */
import { readSvgProlog } from './svg-prolog.ts';

export const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

export function detectImageType(bytes: Uint8Array): string | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // PNG and JPEG are also checked for their end: a truncated file (an interrupted download or copy)
  // shows as a broken or half image in every reader, so it counts as corrupt, not as that type.
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const complete = b.length >= 57 && b.toString('latin1', 12, 16) === 'IHDR' && b.lastIndexOf('IEND', undefined, 'latin1') > 8;
    return complete ? 'image/png' : undefined;
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return b.lastIndexOf(Buffer.from([0xff, 0xd9])) > 2 ? 'image/jpeg' : undefined;
  }
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (readSvgProlog(svgHead(b)).ok) return 'image/svg+xml';
  return undefined;
}

/** Enough of a file to read an SVG prolog: drawing programs' comments run to a few kilobytes, not a megabyte. */
export function svgHead(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString('utf8');
}
