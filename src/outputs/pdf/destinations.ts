/**
 * The name Chromium gives the PDF destination of an element id. Chromium names each destination
 * after the fragment of the link that points at it, as its URL parser serialised it: non-ASCII
 * characters, spaces, quotes and angle brackets are percent-encoded as UTF-8 (`#été` → `%C3%A9t%C3%A9`),
 * tabs and line breaks are dropped, and nothing is normalised. Node's WHATWG URL parser follows the
 * same standard, so it gives the same name for every script; measuring and the outline look up
 * destinations through this one function.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, type PDFDocument, PDFName } from 'pdf-lib';

const BASE = 'file:///';

export function destinationName(id: string): string {
  return new URL(`#${id}`, BASE).hash.slice(1);
}

/**
 * PDF readers may refuse a name longer than 127 bytes (PDF 1.7, Annex C; poppler warns about each),
 * and a percent-encoded heading outgrows that at about 14 Chinese or 21 Hebrew characters. After
 * measuring, such destinations are renamed to a hash of their name, the same for the same heading.
 */
export const MAX_NAME_BYTES = 127;

/** A Chromium destination name as it stays in the finished PDF. */
export function shortName(name: string): string {
  return name.length <= MAX_NAME_BYTES ? name : `d-${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

/** The name of an id's destination in the finished PDF (the outline points there). */
export function pdfDestinationName(id: string): string {
  return shortName(destinationName(id));
}

/** Renames the long destinations Chromium wrote, and every link that goes to them. */
export function shortenDestinations(doc: PDFDocument): void {
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (!dests) return;
  const short = (name: PDFName): PDFName | undefined => {
    const text = name.decodeText();
    return text.length > MAX_NAME_BYTES ? PDFName.of(shortName(text)) : undefined;
  };
  for (const [name, value] of dests.entries()) {
    const renamed = short(name);
    if (!renamed) continue;
    dests.delete(name);
    dests.set(renamed, value);
  }
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const annot = annots?.lookupMaybe(i, PDFDict);
      const action = annot?.lookupMaybe(PDFName.of('A'), PDFDict);
      for (const [dict, key] of [
        [annot, 'Dest'],
        [action, 'D'],
      ] as const) {
        const dest = dict?.get(PDFName.of(key));
        const renamed = dest instanceof PDFName ? short(dest) : undefined;
        if (dict && renamed) dict.set(PDFName.of(key), renamed);
      }
    }
  }
}
