/**
 * `colophon check`: one preflight before sending a book out. Builds the model, the EPUB and the PDF
 * into a temporary folder (never dist/), and runs every check on them: links, images (missing,
 * unused, resolution in print), font coverage, EPUBCheck, PDF boxes and fonts, store metadata.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { buildBook } from '../book-pass/build-book.ts';
import { findBrowser, NO_BROWSER_HINT } from '../browser/find-browser.ts';
import type { ConfigOverrides, ConfigPositions } from '../config/load-config.ts';
import { ColophonError, type Diagnostic, error, warning } from '../diagnostics.ts';
import { ghostscriptVersion, INSTALL_GHOSTSCRIPT } from '../ghostscript/ghostscript.ts';
import { loadManuscript } from '../manuscript/load.ts';
import type { Book } from '../model/book.ts';
import { CONFORMANCE } from '../outputs/epub/accessibility.ts';
import type { AceResult } from '../outputs/epub/ace.ts';
import { renderEpubReport } from '../outputs/epub.ts';
import type { LendBrowser } from '../outputs/output.ts';
import { missingGlyphWarnings } from '../outputs/pdf/glyphs.ts';
import { type Typography, typographyTable } from '../outputs/pdf/pages/typography.ts';
import type { PrintBrowser } from '../outputs/pdf/session.ts';
import { renderPdf } from '../outputs/pdf.ts';
import { renderPressFrom } from '../outputs/press.ts';
import { epubcheck } from './epubcheck.ts';
import { imageResolutions, lowResolutionImages, MIN_DPI, metadataFindings, preflightPdf, unusedImages } from './findings.ts';
import { preflightPress } from './press-preflight.ts';

export const AREAS = {
  manuscript: 'manuscript',
  links: 'links and anchors',
  images: 'images (missing, unused)',
  resolution: `image resolution (${MIN_DPI} dpi)`,
  glyphs: 'font coverage',
  epub: 'EPUBCheck',
  a11y: 'accessibility (DAISY Ace)',
  pdf: 'PDF preflight',
  press: 'press file (PDF/X)',
  metadata: 'store metadata',
} as const;
export type Area = keyof typeof AREAS;

export interface Finding extends Diagnostic {
  area: Area;
}

export interface CheckRow {
  area: Area;
  title: string;
  status: 'ok' | 'warning' | 'error' | 'skipped';
  errors: number;
  warnings: number;
  /** What was checked, or why it was skipped. */
  note?: string;
}

export interface CheckReport {
  /** No errors (warnings allowed). */
  ok: boolean;
  rows: CheckRow[];
  findings: Finding[];
  /**
   * Parts that could not run for want of a tool (no Chromium, no Java or EPUBCheck), as opposed to
   * parts left out with --skip: nothing was checked there, so a strict check must not pass.
   */
  unchecked: Area[];
  /** The printed pages' typography (widows, orphans, …), when the PDF was built. */
  typography?: Typography;
  /** The book's title, when its metadata could be read. */
  title?: string;
  /** Pages of the checked PDF. */
  pages?: number;
}

export interface CheckOptions {
  input: string;
  /** book.yaml keys set from outside the book (a catalogue's per-title overrides). */
  overrides?: ConfigOverrides;
  env?: NodeJS.ProcessEnv;
  /** Leave out the slow parts. */
  skip?: ('pdf' | 'epub' | 'press' | 'ace')[];
  /** Read and write the chapter cache on disk (default true). */
  cache?: boolean;
  /** A running print browser to reuse (tests, a catalogue check). */
  browser?: PrintBrowser;
  /** A browser lent for drawing the EPUB's generated cover (a catalogue check shares one; outputs/output.ts says why). */
  drawing?: LendBrowser;
}

function areaOf(code: string): Area {
  if (code.startsWith('link/')) return 'links';
  if (code.startsWith('image/') || code === 'config/cover') return 'images';
  return 'manuscript';
}

/**
 * Whether a check fails: any error; with `strict`, also any warning and any part that could not run
 * for want of a tool (a strict check that checked nothing there proves nothing there).
 */
export function checkFailed(report: CheckReport, strict: boolean): boolean {
  return !report.ok || (strict && (report.findings.some((f) => f.severity === 'warning') || report.unchecked.length > 0));
}

export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const env = options.env ?? process.env;
  const skip = new Set(options.skip ?? []);
  const findings: Finding[] = [];
  const notes = new Map<Area, string>();
  const unchecked: Area[] = [];
  let typography: Typography | undefined;
  const add = (area: Area, list: Diagnostic[]) => findings.push(...list.map((d) => ({ ...d, area })));
  let pages: number | undefined;

  let book: Book | undefined;
  let positions: ConfigPositions | undefined;
  try {
    const manuscript = loadManuscript(options.input, options.overrides ? { overrides: options.overrides } : {});
    positions = manuscript.positions;
    book = await buildBook(manuscript, { env, ...(options.cache === false ? { cache: false } : {}) });
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    for (const d of e.diagnostics) add(areaOf(d.code), [d]);
  }

  if (book && positions) {
    const b = book;
    for (const d of b.diagnostics) add(areaOf(d.code), [d]);
    add('images', unusedImages(b));
    const resolutions = imageResolutions(b);
    notes.set('resolution', `${resolutions.length} raster image(s)`);
    add('resolution', lowResolutionImages(b));
    add('glyphs', missingGlyphWarnings(b, options.cache !== false));
    add('metadata', metadataFindings(b, positions));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-check-'));
    try {
      // EPUBCheck (Java) and the PDF (Chromium) run side by side: each mostly waits on its own process.
      await Promise.all([
        skip.has('epub')
          ? notes.set('epub', 'skipped (--skip epub)').set('a11y', 'skipped (--skip epub)')
          : checkEpub(b, { dir, env, ace: !skip.has('ace'), options }, add, notes, unchecked),
        skip.has('pdf')
          ? notes.set('pdf', 'skipped (--skip pdf)').set('press', 'skipped (--skip pdf)')
          : checkPdf(b, dir, env, { browser: options.browser, cache: options.cache !== false }, add, notes, unchecked, (t) => {
              typography = t;
            }).then(async (pdf) => {
              pages = pdf?.pages;
              if (skip.has('press')) notes.set('press', 'skipped (--skip press)');
              else await checkPress(b, dir, pdf?.bytes, add, notes, unchecked);
            }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } else {
    for (const area of ['resolution', 'glyphs', 'epub', 'a11y', 'pdf', 'press', 'metadata'] as const) notes.set(area, 'skipped: the manuscript has errors');
  }

  const rows: CheckRow[] = (Object.keys(AREAS) as Area[])
    .filter((area) => area !== 'manuscript' || findings.some((f) => f.area === 'manuscript'))
    .map((area) => {
      const mine = findings.filter((f) => f.area === area);
      const errors = mine.filter((f) => f.severity === 'error').length;
      const warnings = mine.filter((f) => f.severity === 'warning').length;
      const note = notes.get(area);
      const skipped = note?.startsWith('skipped') === true && mine.length === 0;
      return {
        area,
        title: AREAS[area],
        status: errors > 0 ? 'error' : warnings > 0 ? 'warning' : skipped ? 'skipped' : 'ok',
        errors,
        warnings,
        ...(note ? { note } : {}),
      };
    });
  return {
    ok: !findings.some((f) => f.severity === 'error'),
    rows,
    findings,
    unchecked,
    ...(typography ? { typography } : {}),
    ...(book ? { title: book.metadata.title } : {}),
    ...(pages === undefined ? {} : { pages }),
  };
}

async function checkEpub(
  book: Book,
  { dir, env, ace, options }: { dir: string; env: NodeJS.ProcessEnv; ace: boolean; options: CheckOptions },
  add: (a: Area, d: Diagnostic[]) => void,
  notes: Map<Area, string>,
  unchecked: Area[],
) {
  let bytes: Uint8Array;
  try {
    const warnings: Diagnostic[] = [];
    const report = await renderEpubReport(book, {
      ...(options.browser ? { browser: options.browser } : {}),
      ...(options.drawing ? { drawing: options.drawing } : {}),
      warn: (w) => warnings.push(w),
      ace: ace ? 'always' : 'never',
      env,
      cache: options.cache !== false,
    });
    // The build's own "not claimed" warning is said again, with each reason, by the accessibility row.
    add(
      'epub',
      warnings.filter((w) => w.code !== 'epub/a11y-not-claimed'),
    );
    bytes = report.bytes;
    if (!ace) notes.set('a11y', 'skipped (--skip ace)');
    else accessibilityRow(book, report, add, notes, unchecked);
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    add('epub', e.diagnostics);
    notes.set('epub', 'the EPUB could not be built');
    notes.set('a11y', 'skipped: no EPUB');
    return;
  }
  const file = path.join(dir, 'book.epub');
  fs.writeFileSync(file, bytes);
  const result = await epubcheck(file, env);
  if (result.skipped !== undefined) {
    notes.set('epub', `skipped: ${result.skipped}`);
    unchecked.push('epub');
    return;
  }
  add('epub', result.findings);
  notes.set('epub', `EPUB ${result.rules} rules, ${(bytes.byteLength / 1024).toFixed(0)} KiB`);
}

async function checkPdf(
  book: Book,
  dir: string,
  env: NodeJS.ProcessEnv,
  { browser, cache }: { browser: PrintBrowser | undefined; cache: boolean },
  add: (a: Area, d: Diagnostic[]) => void,
  notes: Map<Area, string>,
  unchecked: Area[],
  setTypography: (t: Typography) => void,
): Promise<{ bytes: Uint8Array; pages: number } | undefined> {
  if (!browser && !(await findBrowser(env))) {
    notes.set('pdf', `skipped: no Chromium for the PDF stage. ${NO_BROWSER_HINT}`);
    unchecked.push('pdf');
    return undefined;
  }
  let render: Awaited<ReturnType<typeof renderPdf>>;
  try {
    render = await renderPdf(book, { ...(browser ? { browser } : {}), cache });
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    add('pdf', e.diagnostics);
    return undefined;
  }
  setTypography(render.pagination.typography);
  const file = path.join(dir, 'book.pdf');
  fs.writeFileSync(file, render.bytes);
  // Missing glyphs are reported under font coverage already.
  add(
    'pdf',
    render.warnings.filter((w) => w.code !== 'pdf/missing-glyph'),
  );
  const doc = await PDFDocument.load(render.bytes, { updateMetadata: false });
  const preflight = preflightPdf(doc, book, file);
  add('pdf', preflight.findings);
  const { trim, bleedPt } = book.metadata.print;
  notes.set(
    'pdf',
    `${preflight.pages} pages of ${trim.widthPt}×${trim.heightPt} pt${bleedPt > 0 ? ` + ${bleedPt} pt bleed` : ''}, ${preflight.fonts.length} font(s)`,
  );
  return { bytes: render.bytes, pages: preflight.pages };
}

/**
 * DAISY Ace's verdict on the EPUB `check` built, and whether the conformance claim is (or could be)
 * made. Violations are warnings, or errors when book.yaml asks for the claim (the build then ships
 * the EPUB without it).
 */
function accessibilityRow(
  book: Book,
  report: { ace?: AceResult; conformance?: unknown; blockers: string[]; sources: Record<string, string> },
  add: (a: Area, d: Diagnostic[]) => void,
  notes: Map<Area, string>,
  unchecked: Area[],
) {
  const ace = report.ace;
  if (!ace || ace.skipped !== undefined) {
    notes.set('a11y', `skipped: ${ace?.skipped ?? 'DAISY Ace did not run'}`);
    unchecked.push('a11y');
    return;
  }
  const wanted = book.metadata.accessibility.conformance;
  const make = wanted ? error : warning;
  add(
    'a11y',
    ace.violations.map((v) => {
      const source = report.sources[v.file];
      return make(
        `a11y/${v.rule}`,
        `DAISY Ace: ${v.rule} (${v.impact}) in ${v.file}${v.description ? `: ${v.description.split('\n')[0]}` : ''}`,
        source ? { file: path.join(book.root, source) } : undefined,
        'See https://daisy.github.io/ace/ for the rule; the EPUB cannot claim WCAG conformance while Ace reports it.',
      );
    }),
  );
  const others = report.blockers.filter((b) => !b.startsWith('DAISY Ace'));
  if (wanted && others.length > 0) {
    add('a11y', [
      error(
        'a11y/not-claimed',
        `the EPUB cannot claim ${CONFORMANCE}: ${others.join('; ')}`,
        undefined,
        'Give every image alt text, and a publisher or accessibility.certified-by.',
      ),
    ]);
  }
  const verdict = `DAISY Ace ${ace.version ?? ''}: ${ace.violations.length} violation(s) in ${(ace.ms / 1000).toFixed(0)} s`.replace('  ', ' ');
  notes.set(
    'a11y',
    report.conformance
      ? `${verdict}; claims ${CONFORMANCE}`
      : report.blockers.length > 0
        ? `${verdict}; no conformance claim: ${report.blockers.join('; ')}`
        : `${verdict}; conformance can be claimed (accessibility.conformance: true)`,
  );
}

/** The press file made from the checked PDF, as `build -t press` would, then its preflight. */
async function checkPress(
  book: Book,
  dir: string,
  pdf: Uint8Array | undefined,
  add: (a: Area, d: Diagnostic[]) => void,
  notes: Map<Area, string>,
  unchecked: Area[],
) {
  if (!pdf) {
    notes.set('press', 'skipped: no PDF');
    return;
  }
  if (!(await ghostscriptVersion())) {
    notes.set('press', `skipped: ${INSTALL_GHOSTSCRIPT} to make and check the press file`);
    unchecked.push('press');
    return;
  }
  const warnings: Diagnostic[] = [];
  let bytes: Uint8Array;
  try {
    bytes = await renderPressFrom(book, pdf, (w) => warnings.push(w));
  } catch (e) {
    if (!(e instanceof ColophonError)) throw e;
    add('press', e.diagnostics);
    return;
  }
  const file = path.join(dir, 'book.press.pdf');
  fs.writeFileSync(file, bytes);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  add('press', [...warnings, ...preflightPress(doc, book, file)]);
  const p = book.metadata.print;
  notes.set('press', `${p.pdfx === 'x-4' ? 'PDF/X-4' : 'PDF/X-1a'}, ${p.color === 'gray' ? 'gray' : 'CMYK'}, ${doc.getPageCount()} pages`);
}

/** The summary table, then every finding in the compiler-style form the build uses. */
export function formatReport(report: CheckReport): string {
  const width = Math.max(...report.rows.map((r) => r.title.length));
  const label = (r: CheckRow) =>
    r.status === 'error'
      ? `FAIL  ${r.errors} error(s)${r.warnings ? `, ${r.warnings} warning(s)` : ''}`
      : r.status === 'warning'
        ? `warn  ${r.warnings} warning(s)`
        : r.status === 'skipped'
          ? 'skip'
          : 'ok';
  const lines = report.rows.map((r) => `  ${r.title.padEnd(width)}  ${label(r).padEnd(26)}${r.note ? `  ${r.note}` : ''}`.trimEnd());
  if (report.typography) lines.push('', typographyTable(report.typography));
  return `${lines.join('\n')}\n`;
}
