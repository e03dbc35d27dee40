/**
 * The single checks of `colophon check`, each a function from the book (or an output) to findings,
 * so tests can trigger every one on a small fixture.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { imageSize } from 'image-size';
import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import type { ConfigPositions } from '../config/load-config.ts';
import { type Diagnostic, error, type SourceLocation, warning } from '../diagnostics.ts';
import type { Book } from '../model/book.ts';
import { chapterTrees, eachElement } from '../model/trees.ts';
import { pageGeometry, textBlock } from '../outputs/pdf/page-css.ts';

/** Where a book image is first used (chapter file, line), for messages about it. */
function imageLocation(book: Book, href: string): SourceLocation | undefined {
  for (const chapter of book.chapters) {
    let at: SourceLocation | undefined;
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
        if (at || node.tagName !== 'img' || node.properties.src !== href) return;
        at = { file: path.join(book.root, chapter.source), ...(node.position ? { line: node.position.start.line, column: node.position.start.column } : {}) };
      });
    }
    if (at) return at;
  }
  return undefined;
}

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp|svg)$/i;
/** Not part of the manuscript: build outputs, editions (their own books), tooling, hidden files. */
const NOT_MANUSCRIPT = new Set(['dist', 'editions', 'node_modules']);

function imageFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || NOT_MANUSCRIPT.has(entry.name)) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) imageFiles(file, out);
    else if (entry.isFile() && IMAGE_EXTENSIONS.test(entry.name)) out.push(file);
  }
  return out;
}

/** Image files in the manuscript folder that no chapter (nor the cover) uses: often a forgotten figure. */
export function unusedImages(book: Book): Diagnostic[] {
  const real = (f: string) => {
    try {
      return fs.realpathSync(f);
    } catch {
      return f;
    }
  };
  const used = new Set([...book.assets.filter((a) => a.kind === 'image'), ...(book.cover ? [book.cover] : [])].map((a) => real(a.sourcePath)));
  return imageFiles(book.root)
    .filter((f) => !used.has(real(f)))
    .map((f) =>
      warning(
        'check/unused-image',
        `image "${path.relative(book.root, f)}" is not used by any chapter`,
        { file: f },
        'Use it in a chapter, or delete it (or move it out of the manuscript folder).',
      ),
    );
}

export const MIN_DPI = 300;
/** CSS pixels per inch: an image prints at its pixel size / 96 unless the text block makes it smaller. */
const CSS_DPI = 96;
/** print.css caps an image's height at 85 % of the text block. */
const MAX_HEIGHT_SHARE = 0.85;

export interface ImageResolution {
  file: string;
  widthPx: number;
  heightPx: number;
  printedWidthIn: number;
  dpi: number;
}

/**
 * The effective resolution of each raster image in print: Chromium sets an image at its CSS pixel
 * size (96 per inch), shrunk to fit the text block (print.css: max-width 100 %, max-height 85 %). A
 * figure therefore prints at most at text-block width; an image smaller than that prints at 96 dpi.
 */
export function imageResolutions(book: Book): ImageResolution[] {
  const block = textBlock(pageGeometry(book));
  const blockWidthIn = block.widthPt / 72;
  const blockHeightIn = (block.heightPt / 72) * MAX_HEIGHT_SHARE;
  const out: ImageResolution[] = [];
  for (const asset of book.assets) {
    // The cover is not printed inside the book; only images the chapters show are.
    if (asset.kind !== 'image' || asset.mediaType === 'image/svg+xml' || !imageLocation(book, asset.href)) continue;
    let size: { width: number; height: number };
    try {
      size = imageSize(fs.readFileSync(asset.sourcePath));
    } catch {
      continue; // The model already refused unreadable or corrupt images.
    }
    const naturalIn = size.width / CSS_DPI;
    // Where the author sized the image (`{width=50%}`, `style="width: 300px"`), its widest use counts.
    const widthIn = Math.max(...imageStyles(book, asset.href).map((style) => sizedWidthIn(style, naturalIn, blockWidthIn)));
    const printedWidthIn = Math.min(widthIn, blockWidthIn, (blockHeightIn * size.width) / size.height);
    out.push({ file: asset.sourcePath, widthPx: size.width, heightPx: size.height, printedWidthIn, dpi: size.width / printedWidthIn });
  }
  return out;
}

/** The style attribute of each use of an image (empty for an image shown at its natural size). */
function imageStyles(book: Book, href: string): string[] {
  const styles: string[] = [];
  for (const chapter of book.chapters) {
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
        if (node.tagName === 'img' && node.properties.src === href) styles.push(String(node.properties.style ?? ''));
      });
    }
  }
  return styles.length > 0 ? styles : [''];
}

const INCHES: Record<string, number> = { in: 1, cm: 1 / 2.54, mm: 1 / 25.4, pt: 1 / 72, pc: 1 / 6, px: 1 / CSS_DPI };

/** How wide an image with this style prints: its width (of the text block for %), capped by max-width. */
export function sizedWidthIn(style: string, naturalIn: number, blockWidthIn: number): number {
  const length = (property: string): number | undefined => {
    const m = new RegExp(`(?:^|;)\\s*${property}:\\s*([\\d.]+)(%|[a-z]+)`).exec(style);
    if (!m) return undefined;
    const n = Number(m[1]);
    if (m[2] === '%') return (n / 100) * blockWidthIn;
    const per = INCHES[m[2] as string];
    return per === undefined ? undefined : n * per;
  };
  const width = length('width') ?? naturalIn;
  const max = length('max-width');
  return max === undefined ? width : Math.min(width, max);
}

export function lowResolutionImages(book: Book): Diagnostic[] {
  const blockWidthIn = textBlock(pageGeometry(book)).widthPt / 72;
  return imageResolutions(book)
    .filter((r) => r.dpi < MIN_DPI - 0.5)
    .map((r) => {
      const asset = book.assets.find((a) => a.sourcePath === r.file);
      const needed = Math.ceil(Math.min(r.printedWidthIn, blockWidthIn) * MIN_DPI);
      return warning(
        'check/low-resolution',
        `image "${path.relative(book.root, r.file)}" (${r.widthPx}×${r.heightPx} px) prints ${r.printedWidthIn.toFixed(2)} in wide at ${Math.round(r.dpi)} dpi, below ${MIN_DPI} dpi`,
        (asset && imageLocation(book, asset.href)) ?? { file: r.file },
        `Use a version at least ${Math.ceil(blockWidthIn * MIN_DPI)} px wide for a full-width figure (${needed} px for its size now).`,
      );
    });
}

/** What stores and reading apps expect: an identifier, the language, a description, a cover, an author. */
export function metadataFindings(book: Book, positions: ConfigPositions): Diagnostic[] {
  const m = book.metadata;
  const out: Diagnostic[] = [];
  const missing = (key: string, why: string, hint: string) => out.push(warning('check/metadata', `no \`${key}:\` ${why}`, { file: positions.file }, hint));
  if (m.identifier.kind === 'uuid') {
    missing('identifier', '(a UUID derived from the title stands in)', 'Add your ISBN-13 (`identifier: 978-…`) or a stable urn:uuid: before publishing.');
  }
  if (!positions.given('language')) missing('language', '(English is assumed)', 'Set `language:` (en, en-GB, de, …): stores and reading apps need it.');
  if (!m.description) missing('description', '(stores show it as the blurb)', 'Add `description:` with a paragraph about the book.');
  if (!book.cover) {
    missing(
      'cover',
      '(the EPUB gets a typographic cover drawn from the title; stores show the cover first)',
      'Add `cover: cover.jpg` (1600×2560 px or larger) with the book\u2019s artwork.',
    );
  }
  if (m.creators.length === 0) missing('author', '(stores list the book without one)', 'Add `author: Your Name`.');
  if (!m.edition?.date && m.modified.getTime() === 0) {
    missing(
      'edition.date',
      '(the EPUB\u2019s dcterms:modified and the PDF\u2019s dates say 1970-01-01; `date:` is when the work was first published, not this edition)',
      'Add `edition: {date: 2025-01-15}` with the date of this edition, or set SOURCE_DATE_EPOCH.',
    );
  }
  return out;
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.5;

function boxOf(page: PDFDict, name: string): number[] | undefined {
  const value = page.lookup(PDFName.of(name));
  if (!(value instanceof PDFArray)) return undefined;
  return value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN));
}

export interface PdfPreflight {
  pages: number;
  fonts: string[];
  findings: Diagnostic[];
}

/**
 * What a print service checks first: every page has a TrimBox of the trim size and a BleedBox of the
 * trim plus bleed (inside the MediaBox), and every font is embedded.
 */
export function preflightPdf(doc: PDFDocument, book: Book, file: string): PdfPreflight {
  const findings: Diagnostic[] = [];
  const { trim, bleedPt } = book.metadata.print;
  const pageProblems = new Map<string, number[]>();
  const note = (problem: string, page: number) => pageProblems.set(problem, [...(pageProblems.get(problem) ?? []), page]);
  doc.getPages().forEach((page, index) => {
    const n = index + 1;
    const trimBox = boxOf(page.node, 'TrimBox');
    const bleedBox = boxOf(page.node, 'BleedBox');
    const media = page.getMediaBox();
    if (!trimBox) note('has no TrimBox', n);
    else if (!near((trimBox[2] ?? 0) - (trimBox[0] ?? 0), trim.widthPt) || !near((trimBox[3] ?? 0) - (trimBox[1] ?? 0), trim.heightPt)) {
      note(`has a TrimBox other than the trim (${trim.widthPt}×${trim.heightPt} pt)`, n);
    }
    if (!bleedBox) note('has no BleedBox', n);
    else {
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = bleedBox;
      if (!near(x1 - x0, trim.widthPt + 2 * bleedPt) || !near(y1 - y0, trim.heightPt + 2 * bleedPt))
        note(`has a BleedBox other than trim + ${bleedPt} pt bleed`, n);
      if (x0 < media.x - 0.5 || y0 < media.y - 0.5 || x1 > media.x + media.width + 0.5 || y1 > media.y + media.height + 0.5)
        note('has a BleedBox outside its MediaBox', n);
    }
  });
  for (const [problem, pages] of pageProblems) {
    const list = pages.length > 5 ? `${pages.slice(0, 5).join(', ')} and ${pages.length - 5} more` : pages.join(', ');
    findings.push(
      error('check/pdf-boxes', `page(s) ${list} ${problem}`, { file }, 'This is a bug in Colophon\u2019s PDF finishing (pdf/finish.ts); please report it.'),
    );
  }

  const fonts: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookup(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const subtype = object.lookup(PDFName.of('Subtype'));
    // Descendant CIDFonts are checked through their Type0 parent; Type3 glyphs are drawn in the page.
    if (subtype === PDFName.of('Type3') || subtype === PDFName.of('CIDFontType0') || subtype === PDFName.of('CIDFontType2')) continue;
    const name = String(object.lookup(PDFName.of('BaseFont')) ?? '?').replace(/^\//, '');
    fonts.push(name);
    let holder: PDFDict | undefined = object;
    if (subtype === PDFName.of('Type0')) {
      const descendants = object.lookup(PDFName.of('DescendantFonts'));
      holder = descendants instanceof PDFArray ? (descendants.lookup(0) as PDFDict | undefined) : undefined;
    }
    const descriptor = holder?.lookup(PDFName.of('FontDescriptor'));
    const embedded = descriptor instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.has(PDFName.of(k)));
    if (!embedded) {
      findings.push(
        error(
          'check/pdf-font-not-embedded',
          `the PDF uses font ${name} without embedding it`,
          { file },
          'Print services reject PDFs with fonts that are not embedded.',
        ),
      );
    }
  }
  return { pages: doc.getPageCount(), fonts, findings };
}
