/**
 * PDF/X-1a allows no transparency, and Ghostscript meets that by rasterising every page that has any,
 * text included. Chromium gives each image with an alpha channel (most PNGs) a soft mask, so a book
 * with one such figure would lose its live text on that page. In a book an image lies on white paper,
 * so compositing it onto white gives the same picture without a mask: this does that in the PDF,
 * for the 8-bit Flate images Chromium writes. pdf-lib reads and writes the objects; the few lines of
 * pixel arithmetic are here because no PDF library offers "flatten onto white".
 */
import zlib from 'node:zlib';
import { decodePDFRawStream, PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';

const name = (dict: PDFDict, key: string) => dict.get(PDFName.of(key))?.toString();

function plainFlate(stream: PDFRawStream): boolean {
  const filter = name(stream.dict, 'Filter');
  const bits = stream.dict.get(PDFName.of('BitsPerComponent'));
  // A Decode array other than the identity ([0 1 0 1 …]) would change what the samples mean.
  const decode = stream.dict.get(PDFName.of('Decode'));
  const identity = decode === undefined || (decode instanceof PDFArray && decode.asArray().every((v, i) => v instanceof PDFNumber && v.asNumber() === i % 2));
  return (filter === undefined || filter === '/FlateDecode') && bits instanceof PDFNumber && bits.asNumber() === 8 && identity;
}

/** Composites image samples (n components per pixel) over white with the mask's alpha, in place. */
export function compositeOnWhite(samples: Uint8Array, alpha: Uint8Array, components: number): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let p = 0; p < alpha.length; p++) {
    const a = alpha[p] as number;
    for (let c = 0; c < components; c++) {
      const i = p * components + c;
      out[i] = Math.round(((samples[i] as number) * a + 255 * (255 - a)) / 255);
    }
  }
  return out;
}

/** Removes the soft mask of every image it can flatten; returns how many it flattened and left. */
export function flattenImageMasks(doc: PDFDocument): { flattened: number; left: number } {
  let flattened = 0;
  let left = 0;
  const masks = new Set<PDFRef>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || name(object.dict, 'Subtype') !== '/Image') continue;
    const maskRef = object.dict.get(PDFName.of('SMask'));
    if (!(maskRef instanceof PDFRef)) continue;
    const mask = doc.context.lookup(maskRef);
    const space = name(object.dict, 'ColorSpace');
    const components = space === '/DeviceRGB' ? 3 : space === '/DeviceGray' ? 1 : 0;
    if (!(mask instanceof PDFRawStream) || components === 0 || !plainFlate(object) || !plainFlate(mask) || mask.dict.has(PDFName.of('Matte'))) {
      left++;
      continue;
    }
    const samples = decodePDFRawStream(object).decode();
    const alpha = decodePDFRawStream(mask).decode();
    const width = (object.dict.get(PDFName.of('Width')) as PDFNumber).asNumber();
    const height = (object.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
    const maskSize = (mask.dict.get(PDFName.of('Width')) as PDFNumber).asNumber() * (mask.dict.get(PDFName.of('Height')) as PDFNumber).asNumber();
    if (maskSize !== width * height || samples.length < width * height * components || alpha.length < maskSize) {
      left++;
      continue;
    }
    const composed = compositeOnWhite(samples.subarray(0, width * height * components), alpha.subarray(0, maskSize), components);
    const dict = object.dict.clone(doc.context);
    dict.delete(PDFName.of('SMask'));
    dict.delete(PDFName.of('DecodeParms'));
    dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
    const contents = zlib.deflateSync(composed, { level: 9 });
    dict.set(PDFName.of('Length'), PDFNumber.of(contents.length));
    const ref = doc.context.getObjectRef(object);
    if (ref) doc.context.assign(ref, PDFRawStream.of(dict, new Uint8Array(contents)));
    masks.add(maskRef);
    flattened++;
  }
  for (const ref of masks) doc.context.delete(ref);
  return { flattened, left };
}

/** Pages (1-based) whose resources still ask for transparency: a soft mask or constant alpha below 1. */
export function transparentPages(doc: PDFDocument): number[] {
  const pages: number[] = [];
  doc.getPages().forEach((page, i) => {
    const seen = new Set<unknown>();
    const visit = (value: unknown): boolean => {
      const v = value instanceof PDFRef ? doc.context.lookup(value) : value;
      if (v === undefined || seen.has(v)) return false;
      seen.add(v);
      const dict = v instanceof PDFRawStream ? v.dict : v instanceof PDFDict ? v : undefined;
      if (!dict) return false;
      for (const [key, entry] of dict.entries()) {
        const k = key.toString();
        if (k === '/SMask' && entry.toString() !== '/None') return true;
        if ((k === '/ca' || k === '/CA') && entry instanceof PDFNumber && entry.asNumber() < 1) return true;
        if (k === '/Parent' || k === '/Contents' || k === '/Annots' || k === '/StructParents') continue;
        if (visit(entry)) return true;
      }
      return false;
    };
    if (visit(page.node.get(PDFName.of('Resources')))) pages.push(i + 1);
  });
  return pages;
}
