/**
 * The gray output intent of a black-and-white press file: an ICC v2 monochrome *output* profile
 * (class `prtr`, as PDF/X wants for a DestOutputProfile) whose tone curve adds 15 % dot gain at the
 * 50 % tint, the usual assumption for uncoated book paper (Adobe ships the same idea as "Dot Gain 15%",
 * under a licence that forbids redistribution). Ghostscript's gray profiles are display-class and
 * AGPL, icc-profiles-free has only display-class grays, and no npm package has one; the format of a
 * monochrome profile is four small tags, so it is written here, and icc/ ships its output (a test
 * checks the shipped file is exactly what this makes).
 */

/** Nominal ink coverage a (0–1) → printed coverage: a parabola adding `gain` at a = 0.5. */
export function dotGain(a: number, gain = 0.15): number {
  return a + 4 * gain * a * (1 - a);
}

/** Device gray g (0 black, 1 white, as in PDF) → relative luminance Y of the print. */
export function grayToY(g: number, gain = 0.15): number {
  return 1 - dotGain(1 - g, gain);
}

const D50 = [0.9642, 1, 0.8249] as const;

function s15Fixed16(n: number): number {
  return Math.round(n * 65536);
}

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  pad(): void {
    if (this.length % 4 !== 0) this.push(Buffer.alloc(4 - (this.length % 4)));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function descTag(text: string): Buffer {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const b = Buffer.alloc(12 + ascii.length + 8 + 3 + 67);
  b.write('desc', 0, 'latin1');
  b.writeUInt32BE(ascii.length, 8);
  ascii.copy(b, 12);
  // Unicode and ScriptCode parts left empty (counts 0), as the v2 textDescriptionType allows.
  return b;
}

function textTag(text: string): Buffer {
  return Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${text}\0`, 'latin1')]);
}

function xyzTag(xyz: readonly [number, number, number]): Buffer {
  const b = Buffer.alloc(20);
  b.write('XYZ ', 0, 'latin1');
  for (const [i, v] of xyz.entries()) b.writeInt32BE(s15Fixed16(v), 8 + 4 * i);
  return b;
}

function curveTag(samples: number[]): Buffer {
  const b = Buffer.alloc(12 + 2 * samples.length);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(samples.length, 8);
  for (const [i, v] of samples.entries()) b.writeUInt16BE(Math.round(Math.min(1, Math.max(0, v)) * 65535), 12 + 2 * i);
  return b;
}

export const GRAY_PROFILE_DESCRIPTION = 'Colophon Gray - Dot Gain 15%';

/** The profile's bytes: the same on every run (fixed creation date, no profile ID in v2). */
export function grayOutputProfile(gain = 0.15, entries = 256): Uint8Array {
  const tags: [string, Buffer][] = [
    ['desc', descTag(GRAY_PROFILE_DESCRIPTION)],
    ['cprt', textTag('No copyright, use freely (CC0 1.0). Made by Colophon.')],
    ['wtpt', xyzTag(D50)],
    ['kTRC', curveTag(Array.from({ length: entries }, (_, i) => grayToY(i / (entries - 1), gain)))],
  ];
  const header = Buffer.alloc(128);
  const table = Buffer.alloc(4 + 12 * tags.length);
  const body = new Writer();
  const start = header.length + table.length;
  table.writeUInt32BE(tags.length, 0);
  tags.forEach(([sig, data], i) => {
    body.pad();
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(start + body.length, 8 + 12 * i);
    table.writeUInt32BE(data.length, 12 + 12 * i);
    body.push(data);
  });
  body.pad();
  const size = start + body.length;
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(0x02100000, 8);
  header.write('prtr', 12, 'latin1');
  header.write('GRAY', 16, 'latin1');
  header.write('XYZ ', 20, 'latin1');
  for (const [i, v] of [2025, 1, 1, 0, 0, 0].entries()) header.writeUInt16BE(v, 24 + 2 * i);
  header.write('acsp', 36, 'latin1');
  header.writeUInt32BE(0, 64); // perceptual
  for (const [i, v] of D50.entries()) header.writeInt32BE(s15Fixed16(v), 68 + 4 * i);
  return new Uint8Array(Buffer.concat([header, table, body.bytes()]));
}
