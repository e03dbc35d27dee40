/**
 * Chromium paints every colour as DeviceRGB, black text included (`0 0 0 rg`). Converted to CMYK
 * through an ICC profile, RGB black becomes a four-ink "rich" black, which smears on press when the
 * plates are slightly out of register; text must be black ink alone. A neutral RGB colour (r = g = b)
 * is rewritten here as DeviceGray (`0 g`), which Ghostscript puts on the black plate only
 * (-dDeviceGrayToK). pdf-lib has no content-stream parser, so a tokenizer that knows strings, hex
 * strings, comments, dictionaries and inline images finds the colour operators and changes nothing else.
 */
import zlib from 'node:zlib';
import { decodePDFRawStream, type PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

export interface Token {
  start: number;
  end: number;
  text: string;
  kind: 'number' | 'operator' | 'other';
}

export function contentTokens(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === 0x25 /* % */) {
      while (i < n && src[i] !== '\n' && src[i] !== '\r') i++;
    } else if (c === 0x28 /* ( */) {
      const start = i;
      let depth = 0;
      for (; i < n; i++) {
        const ch = src[i];
        if (ch === '\\') i++;
        else if (ch === '(') depth++;
        else if (ch === ')' && --depth === 0) break;
      }
      i++;
      out.push({ start, end: i, text: src.slice(start, i), kind: 'other' });
    } else if (c === 0x3c /* < */ && src[i + 1] !== '<') {
      const start = i;
      i = src.indexOf('>', i) + 1 || n;
      out.push({ start, end: i, text: src.slice(start, i), kind: 'other' });
    } else if (DELIMITER.has(c) && c !== 0x2f /* / */) {
      const len = (c === 0x3c && src[i + 1] === '<') || (c === 0x3e && src[i + 1] === '>') ? 2 : 1;
      out.push({ start: i, end: i + len, text: src.slice(i, i + len), kind: 'other' });
      i += len;
    } else {
      const start = i;
      i++;
      while (i < n && !WHITESPACE.has(src.charCodeAt(i)) && !DELIMITER.has(src.charCodeAt(i))) i++;
      const text = src.slice(start, i);
      const kind = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? 'number' : text.startsWith('/') ? 'other' : 'operator';
      out.push({ start, end: i, text, kind });
      if (text === 'ID') {
        // Inline image data is binary: skip to the EI that ends it.
        const ei = src.slice(i).search(/\sEI(\s|$)/);
        i = ei < 0 ? n : i + ei + 3;
      }
    }
  }
  return out;
}

/** Rewrites `v v v rg` / `v v v RG` as `v g` / `v G`; returns the stream text and how many it changed. */
export function neutralRgbToGray(src: string): { text: string; changed: number } {
  const list = contentTokens(src);
  let out = '';
  let from = 0;
  let changed = 0;
  for (let k = 3; k < list.length; k++) {
    const op = list[k] as Token;
    if (op.kind !== 'operator' || (op.text !== 'rg' && op.text !== 'RG')) continue;
    const [r, g, b] = [list[k - 3], list[k - 2], list[k - 1]] as Token[];
    if (r?.kind !== 'number' || g?.kind !== 'number' || b?.kind !== 'number') continue;
    if (Number(r.text) !== Number(g.text) || Number(g.text) !== Number(b.text)) continue;
    out += `${src.slice(from, r.start)}${r.text} ${op.text === 'rg' ? 'g' : 'G'}`;
    from = op.end;
    changed++;
  }
  return { text: out + src.slice(from), changed };
}

/** Applies neutralRgbToGray to every page content stream and form XObject of the document. */
export function neutralColorsToGray(doc: PDFDocument): number {
  let changed = 0;
  const streams = new Set<PDFRawStream>();
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const list = contents === undefined ? [] : 'asArray' in contents ? contents.asArray() : [contents];
    for (const item of list) {
      const s = doc.context.lookup(item);
      if (s instanceof PDFRawStream) streams.add(s);
    }
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype'))?.toString() === '/Form') streams.add(object);
  }
  for (const stream of streams) {
    const filter = stream.dict.get(PDFName.of('Filter'))?.toString();
    if (filter !== undefined && filter !== '/FlateDecode') continue;
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    const result = neutralRgbToGray(text);
    if (result.changed === 0) continue;
    const contents = zlib.deflateSync(Buffer.from(result.text, 'latin1'));
    const ref = doc.context.getObjectRef(stream);
    const dict = stream.dict.clone(doc.context);
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    dict.delete(PDFName.of('DecodeParms'));
    dict.set(PDFName.of('Length'), PDFNumber.of(contents.length));
    if (ref) doc.context.assign(ref, PDFRawStream.of(dict, new Uint8Array(contents)));
    changed += result.changed;
  }
  return changed;
}
