/**
 * The cover (`<slug>.cover.pdf`): one sheet with back cover, spine and front cover, sized from the
 * interior's page count and the paper (cover/geometry.ts). Chromium sets the type (cover/page.ts);
 * pdf-lib draws the ISBN barcode as vectors, the guides when asked, the print boxes and metadata.
 * The page count comes from the interior PDF, which the build renders first because this format
 * `needs` it, rounded up to whole signatures as the press file's is. With `print.pdfx` it becomes PDF/X like the press file.
 */
import fs from 'node:fs';
import { imageSize } from 'image-size';
import { cmyk, PDFDocument, PDFName, type PDFPage } from 'pdf-lib';
import { type Diagnostic, warning } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import { type BarcodeLayout, barcodeLayout, drawBarcode } from './cover/barcode.ts';
import { type Box, type CoverGeometry, coverGeometry, MIN_SPINE_TEXT_PAGES } from './cover/geometry.ts';
import { coverPage } from './cover/page.ts';
import type { OutputContext, OutputFormat } from './output.ts';
import { saveDeterministic, setMetadata } from './pdf/finish.ts';
import { PrintBrowser } from './pdf/session.ts';
import { PDF_OPTIONS } from './pdf.ts';
import { convertToPdfX } from './press/pdfx.ts';
import { paddedPageCount } from './press/signature.ts';
import { interiorPdf, prepareForPdfX, pressColor } from './press.ts';

export const MIN_COVER_DPI = 300;

export interface CoverOptions {
  pageCount: number;
  guides?: boolean;
  browser?: PrintBrowser;
}

export interface CoverRender {
  bytes: Uint8Array;
  geometry: CoverGeometry;
  barcode?: BarcodeLayout;
  warnings: Diagnostic[];
}

async function pageCountOf(book: Book, context: OutputContext): Promise<number> {
  const interior = interiorPdf(context);
  const count = (await PDFDocument.load(interior, { updateMetadata: false })).getPageCount();
  return paddedPageCount(count, book.metadata.print.signature);
}

function coverImageWarnings(book: Book, g: CoverGeometry): Diagnostic[] {
  if (!book.cover) return [];
  const size = imageSize(fs.readFileSync(book.cover.sourcePath));
  if (!size.width || !size.height) return [];
  // Scaled to fill the front with its bleed, the image is printed at this many pixels per inch.
  const widthIn = (g.front.width + g.bleedPt) / 72;
  const heightIn = g.sheet.height / 72;
  const dpi = Math.min(size.width / widthIn, size.height / heightIn);
  if (dpi >= MIN_COVER_DPI) return [];
  const need = `${Math.ceil(widthIn * MIN_COVER_DPI)}×${Math.ceil(heightIn * MIN_COVER_DPI)}`;
  return [
    warning(
      'cover/low-resolution',
      `the cover image is ${size.width}×${size.height} px, so the front prints at ${dpi.toFixed(0)} dpi (printers want ${MIN_COVER_DPI})`,
      { file: book.cover.sourcePath },
      `Use an image of at least ${need} px for a ${(g.trimWidthPt / 72).toFixed(3)}×${(g.trimHeightPt / 72).toFixed(3)} in front with bleed.`,
    ),
  ];
}

function drawGuides(page: PDFPage, g: CoverGeometry): void {
  // Magenta and cyan are proofing colours no cover uses; guides never go to the press (only --guides).
  const rect = (b: Box, color: ReturnType<typeof cmyk>, dash?: number[]) =>
    page.drawRectangle({ x: b.x, y: b.y, width: b.width, height: b.height, borderColor: color, borderWidth: 0.5, ...(dash ? { borderDashArray: dash } : {}) });
  rect(g.trim, cmyk(0, 1, 0, 0));
  for (const x of [g.spine.x, g.spine.x + g.spine.width]) {
    page.drawLine({ start: { x, y: 0 }, end: { x, y: g.sheet.height }, thickness: 0.5, color: cmyk(0, 1, 0, 0), dashArray: [4, 2] });
  }
  rect(g.backSafe, cmyk(1, 0, 0, 0), [2, 2]);
  rect(g.frontSafe, cmyk(1, 0, 0, 0), [2, 2]);
  if (g.spineText) rect(g.spineText, cmyk(1, 0, 0, 0), [2, 2]);
}

export async function renderCover(book: Book, options: CoverOptions): Promise<CoverRender> {
  const g = coverGeometry(book, options.pageCount);
  const warnings = coverImageWarnings(book, g);
  if (!g.spineText) {
    warnings.push(
      warning(
        'cover/no-spine-text',
        `the book has ${options.pageCount} pages, fewer than the ${MIN_SPINE_TEXT_PAGES} a printer needs for text on the spine (${(g.spinePt / 72).toFixed(3)} in thick), so the spine is left blank`,
      ),
    );
  }
  const id = book.metadata.identifier;
  const barcode = id.kind === 'isbn' && id.value.length === 13 ? barcodeLayout(id.value, g.backSafe) : undefined;
  if (!barcode) {
    warnings.push(
      warning('cover/no-isbn', 'the book has no ISBN-13 `identifier`, so the back cover has no barcode', undefined, 'Add `identifier: 978-…` to book.yaml.'),
    );
  }
  const page = coverPage(book, g, barcode);
  const browser = options.browser ?? (await PrintBrowser.launch());
  let printed: Uint8Array;
  try {
    printed = (await browser.print({ html: page.html, allowedRoots: page.allowedRoots, pdf: { ...PDF_OPTIONS, tagged: false } })).pdf;
  } finally {
    if (!options.browser) await browser.close();
  }
  const doc = await PDFDocument.load(printed, { updateMetadata: false });
  const [sheet] = doc.getPages();
  if (!sheet || doc.getPageCount() !== 1) throw new Error(`the cover sheet printed as ${doc.getPageCount()} pages`);
  if (barcode) drawBarcode(sheet, barcode);
  if (options.guides) drawGuides(sheet, g);
  const box = (b: Box) => doc.context.obj([b.x, b.y, b.x + b.width, b.y + b.height].map((n) => Math.round(n * 1000) / 1000));
  const whole: Box = { x: 0, y: 0, width: g.sheet.width, height: g.sheet.height };
  sheet.node.set(PDFName.of('MediaBox'), box(whole));
  sheet.node.delete(PDFName.of('CropBox'));
  sheet.node.set(PDFName.of('BleedBox'), box(whole));
  sheet.node.set(PDFName.of('TrimBox'), box(g.trim));
  setMetadata(doc, book);
  return { bytes: await saveDeterministic(doc), geometry: g, ...(barcode ? { barcode } : {}), warnings };
}

export const cover: OutputFormat = {
  name: 'cover',
  extension: 'cover.pdf',
  needs: ['pdf'],
  async render(book, context) {
    const pageCount = await pageCountOf(book, context);
    const result = await renderCover(book, {
      pageCount,
      ...(context.guides ? { guides: true } : {}),
      ...(context.browser ? { browser: context.browser } : {}),
    });
    for (const w of result.warnings) context.warn(w);
    const g = result.geometry;
    context.log(`${pageCount} pages, spine ${(g.spinePt / 72).toFixed(3)} in, sheet ${(g.sheet.width / 72).toFixed(3)}×${(g.sheet.height / 72).toFixed(3)} in`);
    const flavour = book.metadata.print.pdfx;
    if (!flavour) return result.bytes;
    const prepared = await prepareForPdfX(result.bytes, flavour, pressColor(book), 'cover');
    for (const w of prepared.warnings) context.warn(w);
    return convertToPdfX(book, prepared.bytes, flavour, pressColor(book), 'the PDF/X cover');
  },
};
