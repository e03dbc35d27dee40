/**
 * Reading a few tables of a WOFF2 file fast. fontkit decodes a whole WOFF2 (every glyph, through a
 * Brotli decoder written in JavaScript): 0.2–1 s a file, and the CJK faces come in a hundred subset
 * files per weight, so choosing a Chinese novel's fonts took tens of seconds. Only the character
 * map and the names are needed, and WOFF2 stores those two tables untransformed: Node's own Brotli
 * unpacks the table stream (a few ms), the wanted tables are cut out by the table directory (WOFF2
 * spec §5) and handed to fontkit as a minimal sfnt, so fontkit still does all the table parsing.
 * fontkit itself (1.9 MB of JavaScript with its Brotli decoder: ~0.2 s to load) is required only
 * when a file is first read; what is read is kept in the disk cache (catalogue.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type * as Fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/** Known-tag indexes of the tables read here (WOFF2 spec, table 5.1). */
const KNOWN: Record<number, string> = { 0: 'cmap', 5: 'name' };
const GLYF = 10;
const LOCA = 11;

function uintBase128(buf: Buffer, at: { pos: number }): number {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const byte = buf[at.pos++] as number;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
  throw new Error('bad UIntBase128 in WOFF2 table directory');
}

/** The font with only the `cmap` and `name` tables: characterSet and postscriptName work, glyphs do not. */
export function openWoff2Tables(file: string): Fontkit.Font {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 4) !== 'wOF2') throw new Error(`${file} is not a WOFF2 file`);
  const numTables = buf.readUInt16BE(12);
  const compressedLength = buf.readUInt32BE(20);
  const at = { pos: 48 };
  const wanted: { tag: string; offset: number; length: number }[] = [];
  let offset = 0;
  for (let i = 0; i < numTables; i++) {
    const flags = buf[at.pos++] as number;
    const index = flags & 0x3f;
    const version = flags >> 6;
    let tag = KNOWN[index];
    if (index === 63) {
      tag = buf.toString('latin1', at.pos, at.pos + 4);
      at.pos += 4;
    }
    const length = uintBase128(buf, at);
    // glyf and loca are transformed unless version 3; every other table unless version 0.
    const transformed = index === GLYF || index === LOCA ? version !== 3 : version !== 0;
    const stored = transformed ? uintBase128(buf, at) : length;
    if (tag === 'cmap' || tag === 'name') wanted.push({ tag, offset, length });
    offset += stored;
  }
  const tables = zlib.brotliDecompressSync(buf.subarray(at.pos, at.pos + compressedLength));
  // A minimal TrueType file: offset table, one record per table, then the tables (4-byte aligned).
  const header = 12 + 16 * wanted.length;
  const padded = wanted.map((t) => (t.length + 3) & ~3);
  const sfnt = Buffer.alloc(header + padded.reduce((a, b) => a + b, 0));
  sfnt.writeUInt32BE(0x00010000, 0);
  sfnt.writeUInt16BE(wanted.length, 4);
  let dataAt = header;
  wanted.forEach((t, i) => {
    const record = 12 + 16 * i;
    sfnt.write(t.tag, record, 'latin1');
    sfnt.writeUInt32BE(dataAt, record + 8);
    sfnt.writeUInt32BE(t.length, record + 12);
    tables.copy(sfnt, dataAt, t.offset, t.offset + t.length);
    dataAt += padded[i] as number;
  });
  const fontkit = require('fontkit') as typeof Fontkit;
  return fontkit.create(sfnt) as Fontkit.Font;
}
