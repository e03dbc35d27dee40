/**
 * The preflight of the press file, after the rules of the two largest print-on-demand services
 * (Amazon KDP and IngramSpark; see README "Press file"): page = trim + bleed with TrimBox and
 * BleedBox on every page, the PDF/X identification and output intent, no RGB (and in a gray book no
 * CMYK) or spot colour, no transparency in X-1a, every font embedded, and a page count the binding
 * can take (even, a multiple of `print.signature`). Image resolution is judged from the sources by
 * the image-resolution row, since the press file's images may have been resampled by Chromium.
 */
import { decodePDFRawStream, PDFArray, PDFDict, type PDFDocument, PDFName, PDFRawStream, PDFRef, PDFString } from 'pdf-lib';
import { type Diagnostic, error, warning } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import { pageGeometry } from '../outputs/pdf/page-css.ts';
import { transparentPages } from '../outputs/press/flatten.ts';
import { contentTokens } from '../outputs/press/neutral-gray.ts';
import { preflightPdf } from './findings.ts';

/** KDP's minimum inside margin by page count (its "Set trim size, bleed, and margins" table). */
export function kdpMinimumGutterPt(pages: number): number {
  const inches = pages <= 150 ? 0.375 : pages <= 300 ? 0.5 : pages <= 500 ? 0.625 : pages <= 700 ? 0.75 : 0.875;
  return inches * 72;
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.5;
const pages = (list: number[]) => (list.length > 5 ? `${list.slice(0, 5).join(', ')} and ${list.length - 5} more` : list.join(', '));

/** Colour operators and colour spaces in the press file that a `gray` (or `cmyk`) book must not have. */
export function foreignColours(doc: PDFDocument, color: 'gray' | 'cmyk'): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const note = (what: string, page: number) => {
    const list = found.get(what) ?? [];
    if (!list.includes(page)) list.push(page);
    found.set(what, list);
  };
  const badOperators = color === 'gray' ? ['rg', 'RG', 'k', 'K'] : ['rg', 'RG'];
  const spaceName = (value: unknown): string | undefined => {
    const v = value instanceof PDFRef ? doc.context.lookup(value) : value;
    if (v instanceof PDFName) return v.toString();
    if (v instanceof PDFArray) {
      const family = v.lookup(0)?.toString();
      if (family === '/ICCBased') {
        const stream = v.lookup(1);
        const n = stream instanceof PDFRawStream ? stream.dict.lookup(PDFName.of('N'))?.toString() : undefined;
        return `/ICCBased(${n})`;
      }
      return family;
    }
    return undefined;
  };
  const allowed =
    color === 'gray'
      ? ['/DeviceGray', '/ICCBased(1)', '/Pattern', '/Indexed']
      : ['/DeviceGray', '/DeviceCMYK', '/ICCBased(1)', '/ICCBased(4)', '/Pattern', '/Indexed'];
  const visited = new Set<unknown>();
  const scanResources = (resources: unknown, page: number) => {
    const res = resources instanceof PDFRef ? doc.context.lookup(resources) : resources;
    if (!(res instanceof PDFDict) || visited.has(res)) return;
    visited.add(res);
    const spaces = res.lookup(PDFName.of('ColorSpace'));
    if (spaces instanceof PDFDict) {
      for (const [, space] of spaces.entries()) {
        const name = spaceName(space);
        if (name && !allowed.includes(name)) note(`colour space ${name.replace(/^\//, '')}`, page);
      }
    }
    const xobjects = res.lookup(PDFName.of('XObject'));
    if (xobjects instanceof PDFDict) {
      for (const [, ref] of xobjects.entries()) {
        const x = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
        if (!(x instanceof PDFRawStream) || visited.has(x)) continue;
        visited.add(x);
        const subtype = x.dict.lookup(PDFName.of('Subtype'))?.toString();
        if (subtype === '/Image' && x.dict.lookup(PDFName.of('ImageMask'))?.toString() !== 'true') {
          const name = spaceName(x.dict.get(PDFName.of('ColorSpace')));
          if (name && !allowed.includes(name)) note(`${name.replace(/^\//, '')} image`, page);
        } else if (subtype === '/Form') {
          scanStream(x, page);
          scanResources(x.dict.get(PDFName.of('Resources')), page);
        }
      }
    }
  };
  const scanStream = (stream: PDFRawStream, page: number) => {
    const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    for (const t of contentTokens(text))
      if (t.kind === 'operator' && badOperators.includes(t.text)) note(`${t.text === 'rg' || t.text === 'RG' ? 'RGB' : 'CMYK'} colour (${t.text})`, page);
  };
  doc.getPages().forEach((page, i) => {
    const contents = page.node.Contents();
    const list = contents === undefined ? [] : contents instanceof PDFArray ? contents.asArray() : [contents];
    for (const item of list) {
      const s = item instanceof PDFRef ? doc.context.lookup(item) : item;
      if (s instanceof PDFRawStream) scanStream(s, i + 1);
    }
    scanResources(page.node.get(PDFName.of('Resources')), i + 1);
  });
  return found;
}

export function preflightPress(doc: PDFDocument, book: Book, file: string): Diagnostic[] {
  const p = book.metadata.print;
  const flavour = p.pdfx ?? 'x-1a';
  const color = p.color === 'gray' ? 'gray' : 'cmyk';
  const findings = [...preflightPdf(doc, book, file).findings];
  const sizes: number[] = [];
  doc.getPages().forEach((page, i) => {
    const { width, height } = page.getMediaBox();
    if (!near(width, p.trim.widthPt + 2 * p.bleedPt) || !near(height, p.trim.heightPt + 2 * p.bleedPt)) sizes.push(i + 1);
  });
  if (sizes.length > 0) {
    const size = `${((p.trim.widthPt + 2 * p.bleedPt) / 72).toFixed(3)}×${((p.trim.heightPt + 2 * p.bleedPt) / 72).toFixed(3)} in`;
    // Crop marks were asked for (an offset printer may want them); anything else would be a bug.
    findings.push(
      p.marks === 'crop'
        ? warning(
            'press/page-size',
            `page(s) ${pages(sizes)} are larger than trim + bleed (${size}) to hold the crop marks`,
            { file },
            'Print-on-demand services (KDP, IngramSpark) want no printer’s marks: set `print.marks: none` for them.',
          )
        : error('press/page-size', `page(s) ${pages(sizes)} are not trim + bleed (${size})`, { file }, 'This is a bug in Colophon; please report it.'),
    );
  }
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  const version = info instanceof PDFDict ? info.lookup(PDFName.of('GTS_PDFXVersion')) : undefined;
  if (!(version instanceof PDFString) || !version.decodeText().startsWith('PDF/X-')) {
    findings.push(error('press/not-pdfx', 'the press file carries no GTS_PDFXVersion', { file }));
  }
  const intents = doc.catalog.lookup(PDFName.of('OutputIntents'));
  const intent = intents instanceof PDFArray ? intents.lookup(0) : undefined;
  if (!(intent instanceof PDFDict) || intent.lookup(PDFName.of('S'))?.toString() !== '/GTS_PDFX' || !intent.lookup(PDFName.of('DestOutputProfile'))) {
    findings.push(error('press/no-output-intent', 'the press file has no PDF/X output intent with a profile', { file }));
  }
  for (const [what, list] of foreignColours(doc, color)) {
    findings.push(
      error(
        'press/colour',
        `page(s) ${pages(list)} use ${what} in a ${color === 'gray' ? 'gray' : 'CMYK'} book`,
        { file },
        color === 'gray' ? 'A black-and-white press takes gray only; this is a bug in the gray conversion, please report it.' : undefined,
      ),
    );
  }
  if (flavour === 'x-1a') {
    const transparent = transparentPages(doc);
    if (transparent.length > 0) findings.push(error('press/transparency', `page(s) ${pages(transparent)} keep transparency, which PDF/X-1a forbids`, { file }));
  }
  const count = doc.getPageCount();
  const gutter = pageGeometry(book).insidePt;
  const need = kdpMinimumGutterPt(count);
  if (gutter < need - 0.01) {
    findings.push(
      warning(
        'press/gutter',
        `the inside margin is ${(gutter / 72).toFixed(3)} in, less than the ${(need / 72).toFixed(3)} in KDP asks of a ${count}-page book`,
        { file },
        'Choose a wider `print.trim` (the margins follow from it), or split the book.',
      ),
    );
  }
  const multiple = Math.max(2, p.signature);
  if (count % multiple !== 0) {
    findings.push(
      error(
        'press/page-count',
        `the book has ${count} pages, not a multiple of ${multiple}${p.signature > 2 ? ` (print.signature: ${p.signature})` : ''}`,
        { file },
        'Printers bind whole sheets: add blank pages at the end, or change print.signature.',
      ),
    );
  }
  return findings;
}
