/**
 * Reading a printed PDF back: on which page each element landed, and at what scale Chromium drew the
 * pages. Chromium writes a named destination (catalog /Dests) for every element a link points to;
 * the print document links every id we care about from a hidden nav, so the destinations are a map
 * from id to page that needs no text search. Destinations are named by the link's URL fragment, not
 * by the id itself (destinations.ts), so ids in any script are looked up by that name.
 */
import { decodePDFRawStream, PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { destinationName } from './destinations.ts';

export interface Landing {
  /** 0-based page index. */
  page: number;
  /** Distance from the page top in points. */
  top: number;
}

export interface Measurement {
  pageCount: number;
  /** By element id: the ids asked for whose destination the PDF has. */
  landings: Map<string, Landing>;
  /** Scale of the page content: 1 unless Chromium shrank the book to fit an over-wide element. */
  scale: number;
}

/** Where each of `ids` landed (an id with no destination in the PDF is left out). */
export function measure(doc: PDFDocument, ids: Iterable<string> = []): Measurement {
  const pages = doc.getPages();
  const indexOf = new Map(pages.map((p, i) => [p.ref.toString(), i]));
  const byName = new Map<string, Landing>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of dests?.entries() ?? []) {
    const dest = doc.context.lookup(value);
    if (!(dest instanceof PDFArray)) continue;
    const pageRef = dest.get(0);
    const page = pageRef instanceof PDFRef ? indexOf.get(pageRef.toString()) : undefined;
    if (page === undefined) continue;
    const y = dest.lookupMaybe(3, PDFNumber)?.asNumber() ?? 0;
    const height = pages[page]?.getHeight() ?? 0;
    byName.set(name.decodeText(), { page, top: height - y });
  }
  const landings = new Map<string, Landing>();
  for (const id of ids) {
    const landing = byName.get(destinationName(id));
    if (landing) landings.set(id, landing);
  }
  return { pageCount: pages.length, landings, scale: pages[0] ? contentScale(doc, 0) : 1 };
}

/**
 * Skia starts each page with two matrices: device pixels to points, then CSS px to device pixels.
 * Their product is 0.75 (1 CSS px = 0.75 pt) at scale 1; shrink-to-fit makes it smaller.
 */
export function contentScale(doc: PDFDocument, pageIndex: number): number {
  const page = doc.getPage(pageIndex);
  const contents = page.node.Contents();
  const first = contents instanceof PDFArray ? contents.lookup(0) : contents;
  if (!(first instanceof PDFRawStream)) return 1;
  const text = Buffer.from(decodePDFRawStream(first).decode().subarray(0, 2000)).toString('latin1');
  const matrices = [...text.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm/g)].slice(0, 2);
  if (matrices.length < 2) return 1;
  const product = matrices.reduce((acc, m) => acc * Math.abs(Number(m[1])), 1);
  return Math.round((product / 0.75) * 1000) / 1000;
}

/** BaseFont names of every font the pages use (subset tags removed), sorted. */
export function fontNames(doc: PDFDocument): string[] {
  const names = new Set<string>();
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [, ref] of fonts?.entries() ?? []) {
      const font = doc.context.lookup(ref);
      const base = font instanceof PDFDict ? font.lookupMaybe(PDFName.of('BaseFont'), PDFName) : undefined;
      if (base) names.add(base.decodeText().replace(/^[A-Z]{6}\+/, ''));
    }
  }
  return [...names].sort();
}
