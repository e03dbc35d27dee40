/**
 * The floor the PDF stage is measured against: one bare page.pdf() of the same print HTML, with no
 * measuring pass, no second print and no finishing.
 */
import type { Book } from '../model/book.ts';
import { pageGeometry } from '../outputs/pdf/page-css.ts';
import { printDocument } from '../outputs/pdf/print-html.ts';
import { PrintBrowser } from '../outputs/pdf/session.ts';
import { PDF_OPTIONS } from '../outputs/pdf.ts';

export async function barePrint(book: Book, options: { browser?: PrintBrowser } = {}): Promise<{ ms: number; printMs: number; bytes: number }> {
  const started = performance.now();
  const browser = options.browser ?? (await PrintBrowser.launch());
  try {
    const doc = printDocument(book, { blanksBefore: new Set() }, pageGeometry(book));
    const result = await browser.print({ html: doc.html, allowedRoots: doc.allowedRoots, pdf: PDF_OPTIONS });
    return { ms: performance.now() - started, printMs: result.loadMs + result.printMs, bytes: result.pdf.byteLength };
  } finally {
    if (!options.browser) await browser.close();
  }
}
