/**
 * The print edition: book model → print HTML + styles/print.css → Chromium (Puppeteer) → pdf-lib
 * finishing → bytes. Colophon owns the pagination (pdf/pages/): the loaded document is measured
 * once as an unpaginated galley, the page builder decides every page (notes at the foot, no widows
 * or orphans, recto openings, contents numbers), the document is cut into one box per page and
 * printed once. Chromium shapes the lines and paints the pages.
 */
import { type Diagnostic, warning } from '../diagnostics.ts';
import { shippedPostscriptNames } from '../fonts/catalogue.ts';
import type { Book } from '../model/book.ts';
import type { OutputFormat } from './output.ts';
import { label } from './parts.ts';
import { shortenDestinations } from './pdf/destinations.ts';
import { normaliseStructureIds, saveDeterministic, setMetadata, setOutline, setPageLabels, setPrintBoxes } from './pdf/finish.ts';
import { missingGlyphWarnings } from './pdf/glyphs.ts';
import { joinPrints } from './pdf/join-prints.ts';
import { fontNames, type Measurement, measure } from './pdf/measure.ts';
import { pageGeometry } from './pdf/page-css.ts';
import { type Pagination, paginate } from './pdf/pages/paginate.ts';
import { measuredIds, printDocument, printedTocEntries } from './pdf/print-html.ts';
import { COPY_SCRIPT, printLanes, printParts, showPagesScript } from './pdf/print-parts.ts';
import { PrintBrowser, type Timeouts } from './pdf/session.ts';

export interface RenderPdfOptions {
  /** A running print browser to reuse (tests share one); otherwise one is started and closed. */
  browser?: PrintBrowser;
  log?: (message: string) => void;
  timeouts?: Partial<Timeouts>;
  /** Print in parts past this many pages (default MAX_PAGES_PER_PRINT; tests make parts of small books with it). */
  pagesPerPrint?: number;
  /** Tabs printing those parts at once (default: print-parts.ts `printLanes`); 1 prints them one after another, from the same copy. */
  printLanes?: number;
  /** Read the fonts' facts from the disk cache and keep them there (default); false with `--no-cache`. */
  cache?: boolean;
}

export interface PdfTimings {
  launchMs: number;
  htmlMs: number;
  /** Loading the print HTML and its fonts; the first layout (the galley) happens here. */
  loadMs: number;
  /** The pagination in the page: hyphens, galley measurement, page builder, page boxes. */
  measureMs: number;
  printMs: number;
  finishMs: number;
  totalMs: number;
}

export interface PdfRender {
  bytes: Uint8Array;
  pageCount: number;
  /** Passes over the book: always 1 now that Colophon paginates. */
  passes: number;
  /** PDFs printed in that pass and joined: 1, or more for a long book (pdf/print-parts.ts). */
  prints: number;
  timings: PdfTimings;
  warnings: Diagnostic[];
  /** URLs the print page asked for and was refused. */
  blocked: string[];
  /** 1 unless Chromium shrank the content to fit (see measure.ts). */
  scale: number;
  /** The pages as Colophon laid them out: plan, page map, typography. */
  pagination: Pagination;
  /** Where each measured id landed in the final PDF (its named destinations). */
  measurement: Measurement;
  firstChapterPage: number;
}

export const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, displayHeaderFooter: false } as const;

export async function renderPdf(book: Book, options: RenderPdfOptions = {}): Promise<PdfRender> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const timings: PdfTimings = { launchMs: 0, htmlMs: 0, loadMs: 0, measureMs: 0, printMs: 0, finishMs: 0, totalMs: 0 };
  const warnings: Diagnostic[] = missingGlyphWarnings(book, options.cache !== false);
  const geometry = pageGeometry(book);

  const launchStart = performance.now();
  const browser = options.browser ?? (await PrintBrowser.launch(options.timeouts));
  timings.launchMs = performance.now() - launchStart;
  const partsOf = (pageCount: number) => printParts(pageCount, options.pagesPerPrint);
  // A book printed in parts is printed from copies of the paginated page, by one tab or more (pdf/print-parts.ts).
  const inParts = (pageCount: number) => partsOf(pageCount).length > 1;
  try {
    let t = performance.now();
    const initial = printDocument(book, { blanksBefore: new Set() }, geometry);
    timings.htmlMs = performance.now() - t;
    const { result, prepared: pagination } = await browser.printPrepared(
      { html: initial.html, allowedRoots: initial.allowedRoots, pdf: PDF_OPTIONS },
      async (evaluate) => {
        t = performance.now();
        const done = await paginate(evaluate, book, { hidden: inParts });
        timings.measureMs = performance.now() - t;
        log(`${done.plan.pages.length} pages laid out`);
        return done;
      },
      (done) => {
        const parts = partsOf(done.plan.pages.length);
        if (parts.length === 1) return undefined;
        return { updates: parts.map(showPagesScript), copy: COPY_SCRIPT, lanes: options.printLanes ?? printLanes(parts.length) };
      },
    );
    timings.loadMs = result.loadMs;
    timings.printMs = result.printMs;
    warnings.push(...pagination.warnings);

    t = performance.now();
    const doc = await joinPrints(result.pdfs);
    const measurement = measure(doc, measuredIds(book));
    const planned = pagination.plan.pages.length;
    if (measurement.pageCount !== planned) {
      warnings.push(warning('pdf/pagination', `Chromium printed ${measurement.pageCount} pages where Colophon laid out ${planned}; page numbers may be wrong`));
    } else {
      for (const chapter of book.chapters) {
        const printedAt = measurement.landings.get(chapter.id)?.page;
        const planAt = pagination.pageOf.get(chapter.id);
        if (printedAt !== undefined && printedAt !== planAt) {
          warnings.push(warning('pdf/pagination', `chapter "${chapter.title}" printed on page ${printedAt + 1}, laid out for page ${(planAt ?? 0) + 1}`));
        }
      }
    }
    if (measurement.scale !== 1) {
      warnings.push(
        warning(
          'pdf/shrink-to-fit',
          `Chromium scaled the whole book to ${(measurement.scale * 100).toFixed(1)} % because an element is wider than the text block`,
          undefined,
          'Look for a long unbreakable line, a wide table or a fixed-width element, and make it fit the page.',
        ),
      );
    }
    const shipped = shippedPostscriptNames(options.cache !== false);
    const systemFonts = fontNames(doc).filter((name) => !shipped.has(name));
    if (systemFonts.length > 0) {
      warnings.push(
        warning(
          'pdf/system-font',
          `the PDF embeds system font(s) ${systemFonts.join(', ')} for characters the shipped fonts lack, so it differs between machines`,
          undefined,
          'See the missing-glyph warnings for the characters.',
        ),
      );
    }
    for (const url of new Set(result.blocked)) {
      warnings.push(warning('pdf/blocked-request', `the print page tried to load ${url}, which is outside the manuscript; it was refused`));
    }

    const firstChapterPage = pagination.firstChapterPage;
    shortenDestinations(doc);
    setPrintBoxes(doc, book);
    setMetadata(doc, book);
    setOutline(doc, { outline: printedTocEntries(book), contentsId: 'contents', contentsTitle: label(book, 'contents'), firstChapterPage });
    setPageLabels(doc, firstChapterPage);
    normaliseStructureIds(doc);
    const bytes = await saveDeterministic(doc);
    timings.finishMs = performance.now() - t;
    timings.totalMs = performance.now() - started;
    return {
      bytes,
      pageCount: measurement.pageCount,
      passes: 1,
      prints: result.pdfs.length,
      timings,
      warnings,
      blocked: result.blocked,
      scale: measurement.scale,
      pagination,
      measurement,
      firstChapterPage,
    };
  } finally {
    if (!options.browser) await browser.close();
  }
}

export const pdf: OutputFormat = {
  name: 'pdf',
  extension: 'pdf',
  async render(book, context) {
    const result = await renderPdf(book, {
      log: context.log,
      ...(context.browser ? { browser: context.browser } : {}),
      ...(context.cache === false ? { cache: false } : {}),
    });
    for (const w of result.warnings) context.warn(w);
    if (context.results) {
      const { pageMap, typography, firstChapterPage } = result.pagination;
      context.results.print = { pageMap, typography, firstChapterPage };
    }
    // A long book prints in parts (pdf/print-parts.ts): say how many, since each is a print of its own.
    context.log(`${result.pageCount} pages, ${result.prints === 1 ? '1 print' : `${result.prints} prints`}`);
    return result.bytes;
  },
};
