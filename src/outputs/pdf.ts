/**
 * The print edition: book model → print HTML + styles/print.css → Chromium (Puppeteer) → pdf-lib
 * finishing → bytes. Chromium lacks target-counter and recto breaks, so the book is printed once to
 * measure where every chapter and heading lands, then again with blank versos and contents numbers
 * filled in; the second print is measured too and must agree with the plan (a third print fixes the
 * rare case where it does not).
 */
import { PDFDocument } from 'pdf-lib';
import { ColophonError, type Diagnostic, warning } from '../diagnostics.ts';
import { shippedPostscriptNames } from '../fonts/catalogue.ts';
import type { Book } from '../model/book.ts';
import type { OutputFormat } from './output.ts';
import { label } from './parts.ts';
import { shortenDestinations } from './pdf/destinations.ts';
import { normaliseStructureIds, saveDeterministic, setMetadata, setOutline, setPageLabels, setPrintBoxes } from './pdf/finish.ts';
import { missingGlyphWarnings } from './pdf/glyphs.ts';
import { fontNames, type Measurement, measure } from './pdf/measure.ts';
import { pageGeometry } from './pdf/page-css.ts';
import { PaginationError, planFrom, samePlan } from './pdf/pagination.ts';
import { measuredIds, type PaginationPlan, planUpdateScript, printDocument, printedTocEntries } from './pdf/print-html.ts';
import { PrintBrowser, type PrintResult, type Timeouts } from './pdf/session.ts';
import { unmeasuredError } from './pdf/unmeasured.ts';

export interface RenderPdfOptions {
  /** A running print browser to reuse (tests share one); otherwise one is started and closed. */
  browser?: PrintBrowser;
  log?: (message: string) => void;
  timeouts?: Partial<Timeouts>;
  /** Print passes at most, the measuring one included. */
  maxPasses?: number;
}

export interface PdfTimings {
  launchMs: number;
  htmlMs: number;
  loadMs: number;
  printMs: number;
  measureMs: number;
  finishMs: number;
  totalMs: number;
}

export interface PdfRender {
  bytes: Uint8Array;
  pageCount: number;
  passes: number;
  timings: PdfTimings;
  warnings: Diagnostic[];
  /** URLs the print page asked for and was refused. */
  blocked: string[];
  /** 1 unless Chromium shrank the content to fit (see measure.ts). */
  scale: number;
  plan: PaginationPlan;
  /** Where each measured id landed in the final PDF. */
  measurement: Measurement;
  firstChapterPage: number;
}

export const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, displayHeaderFooter: false } as const;

export async function renderPdf(book: Book, options: RenderPdfOptions = {}): Promise<PdfRender> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const timings: PdfTimings = { launchMs: 0, htmlMs: 0, loadMs: 0, printMs: 0, measureMs: 0, finishMs: 0, totalMs: 0 };
  const warnings: Diagnostic[] = missingGlyphWarnings(book);
  const geometry = pageGeometry(book);
  const maxPasses = options.maxPasses ?? 4;

  const launchStart = performance.now();
  const browser = options.browser ?? (await PrintBrowser.launch(options.timeouts));
  timings.launchMs = performance.now() - launchStart;
  try {
    let plan: PaginationPlan = { blanksBefore: new Set() };
    let printed: { doc: PDFDocument; measurement: Measurement; result: PrintResult } | undefined;
    let passes = 0;
    let settled = false;
    let t = performance.now();
    const initial = printDocument(book, plan, geometry);
    const ids = measuredIds(book);
    timings.htmlMs += performance.now() - t;
    // One page load; later passes update the loaded page in place (planUpdateScript) and print again.
    await browser.printPasses({ html: initial.html, allowedRoots: initial.allowedRoots, pdf: PDF_OPTIONS }, async (result) => {
      passes++;
      timings.loadMs += result.loadMs;
      timings.printMs += result.printMs;
      t = performance.now();
      const pdfDoc = await PDFDocument.load(result.pdf, { updateMetadata: false });
      const measurement = measure(pdfDoc, ids);
      printed = { doc: pdfDoc, measurement, result };
      let next: PaginationPlan;
      try {
        next = planFrom(book, measurement, plan);
      } catch (e) {
        // Without its page the book would come out with wrong openings and contents numbers.
        if (e instanceof PaginationError) throw new ColophonError(unmeasuredError(book, e.id));
        throw e;
      }
      timings.measureMs += performance.now() - t;
      log(`pass ${passes}: ${measurement.pageCount} pages`);
      if (plan.tocNumbers && samePlan(next, plan)) {
        settled = true;
        return undefined;
      }
      if (passes >= maxPasses) return undefined;
      plan = next;
      return planUpdateScript(book, plan);
    });
    if (!printed) throw new Error('unreachable: no print pass ran');
    if (!settled && passes >= maxPasses) {
      warnings.push(warning('pdf/pagination', `page numbers did not settle after ${passes} prints; check the contents page numbers`));
    }
    const { doc, measurement, result } = printed;
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
    const shipped = shippedPostscriptNames();
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

    t = performance.now();
    const first = book.chapters[0];
    const firstChapterPage = first ? (measurement.landings.get(first.id)?.page ?? 0) : measurement.pageCount;
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
      passes,
      timings,
      warnings,
      blocked: result.blocked,
      scale: measurement.scale,
      plan,
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
    const result = await renderPdf(book, { log: context.log });
    for (const w of result.warnings) context.warn(w);
    context.log(`${result.pageCount} pages, ${result.passes} prints`);
    return result.bytes;
  },
};
