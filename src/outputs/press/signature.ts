/**
 * Printers bind whole sheets: a book's page count must be even, and a multiple of the signature when
 * it is folded in signatures (`print.signature`). The press file ends with as many blank pages as that
 * takes, as a printer would add them; the cover's spine is measured from the same rounded count.
 */
import { type PDFDocument, PDFName } from 'pdf-lib';

export function paddedPageCount(count: number, signature: number): number {
  const multiple = Math.max(2, signature);
  return Math.ceil(count / multiple) * multiple;
}

/** Appends blank pages with the last page's boxes; returns how many it added. */
export function padToSignature(doc: PDFDocument, signature: number): number {
  const count = doc.getPageCount();
  const last = doc.getPage(count - 1);
  const added = paddedPageCount(count, signature) - count;
  for (let i = 0; i < added; i++) {
    const page = doc.addPage([1, 1]);
    for (const key of ['MediaBox', 'BleedBox', 'TrimBox']) {
      const value = last.node.get(PDFName.of(key));
      if (value) page.node.set(PDFName.of(key), value);
    }
  }
  return added;
}
