/**
 * The PDF stage, end to end: the sample book and the feature fixture are each printed once with one
 * shared browser, then read back with poppler and pdf-lib. Page images are compared at 100 dpi with
 * committed PNGs (UPDATE_PDF_SNAPSHOTS=1 rewrites them; look at them before committing).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ColophonError } from '../src/diagnostics.ts';
import { buildBook, loadManuscript } from '../src/index.ts';
import type { Book } from '../src/model/book.ts';
import { slugMarginPt } from '../src/outputs/pdf/finish.ts';
import { missingGlyphWarnings } from '../src/outputs/pdf/glyphs.ts';
import { measure } from '../src/outputs/pdf/measure.ts';
import { pageGeometry } from '../src/outputs/pdf/page-css.ts';
import { toRoman } from '../src/outputs/pdf/pagination.ts';
import { printDocument, printedTocEntries } from '../src/outputs/pdf/print-html.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { type PdfRender, renderPdf } from '../src/outputs/pdf.ts';
import {
  bookOf,
  comparePng,
  MAX_DIFFERING_PIXELS,
  nonEmptyLines,
  pageTexts,
  pdffonts,
  renderPng,
  SNAPSHOT_DPI,
  textSnapshot,
  writeTemp,
} from './helpers/pdf.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

const FIXTURE = path.resolve('test/fixtures/feature-book');
const SAMPLE = path.resolve('manuscript');
const SNAPSHOTS = path.resolve('test/__snapshots__');

interface Printed {
  book: Book;
  render: PdfRender;
  file: string;
  pages: string[];
  doc: PDFDocument;
}

let browser: PrintBrowser;
let fixture: Printed;
let sample: Printed;

async function print(input: string, name: string): Promise<Printed> {
  const book = await bookOf(input);
  const render = await renderPdf(book, { browser });
  const file = writeTemp(render.bytes, `${name}.pdf`);
  return { book, render, file, pages: pageTexts(file), doc: await PDFDocument.load(render.bytes, { updateMetadata: false }) };
}

beforeAll(async () => {
  browser = await PrintBrowser.launch();
  fixture = await print(FIXTURE, 'fixture');
  sample = await print(SAMPLE, 'sample');
});

afterAll(async () => {
  cleanupTempBooks();
  await browser?.close();
});

function outlineTitles(doc: PDFDocument): string[] {
  const out: string[] = [];
  const walk = (first: PDFDict | undefined, depth: number) => {
    for (let item = first; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = item.lookup(PDFName.of('Title'), PDFString, PDFHexString).decodeText();
      out.push(`${'  '.repeat(depth)}${title}`);
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1);
    }
  };
  walk(doc.catalog.lookup(PDFName.of('Outlines'), PDFDict).lookupMaybe(PDFName.of('First'), PDFDict), 0);
  return out;
}

function boxOf(doc: PDFDocument, index: number, name: string): number[] {
  const arr = doc.getPage(index).node.lookup(PDFName.of(name), PDFArray);
  return arr.asArray().map((n) => Number(n.toString()));
}

/** Each page's label as a PDF viewer shows it, from the catalog's /PageLabels number tree. */
function pageLabels(doc: PDFDocument): string[] {
  const nums = doc.catalog.lookup(PDFName.of('PageLabels'), PDFDict).lookup(PDFName.of('Nums'), PDFArray);
  const ranges: { start: number; style: string; first: number }[] = [];
  for (let i = 0; i < nums.size(); i += 2) {
    const dict = nums.lookup(i + 1, PDFDict);
    const start = Number(nums.get(i).toString());
    ranges.push({ start, style: dict.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText() ?? '', first: Number(dict.get(PDFName.of('St'))?.toString() ?? 1) });
  }
  return Array.from({ length: doc.getPageCount() }, (_, page) => {
    const range = ranges.filter((r) => r.start <= page).at(-1);
    if (!range) return String(page + 1);
    const n = page - range.start + range.first;
    return range.style === 'r' ? toRoman(n) : range.style === 'D' ? String(n) : '';
  });
}

/** Checks every page's running head and folio against the rules, and returns the blank pages. */
function checkPages(p: Printed): void {
  const { book, render, pages } = p;
  const first = render.firstChapterPage;
  expect(first % 2, 'first chapter on a recto').toBe(0);
  const openings = new Map(book.chapters.map((c) => [render.measurement.landings.get(c.id)?.page ?? -1, c]));
  let chapter = book.chapters[0];
  for (let i = first; i < pages.length; i++) {
    const lines = nonEmptyLines(pages[i] as string);
    if (openings.has(i)) {
      chapter = openings.get(i);
      expect(i % 2, `chapter "${chapter?.title}" opens on a recto`).toBe(0);
      expect(lines[0], 'no running head on an opening page').toBe(chapter?.title);
    } else if (lines.length === 0) {
      // A blank verso: only right before a chapter opening, and truly empty (no head, no folio).
      expect(i % 2).toBe(1);
      expect(openings.has(i + 1)).toBe(true);
      continue;
    } else {
      expect(lines[0], `running head on page ${i + 1}`).toBe(i % 2 === 1 ? book.metadata.title : chapter?.title);
    }
    expect(lines.at(-1), `folio on page ${i + 1}`).toBe(String(i - first + 1));
  }
}

/** Every contents line ends with the folio printed on the page where its heading is. */
function checkToc(p: Printed): void {
  const { book, render, pages } = p;
  const contents = render.measurement.landings.get('contents')?.page as number;
  const tocLines = pages
    .slice(contents, render.firstChapterPage)
    .flatMap(nonEmptyLines)
    .map((l) => /^(.*?)\s{2,}(\d+)$/.exec(l))
    .filter((m) => m !== null);
  const entries = printedTocEntries(book);
  expect(tocLines.map((m) => m[1])).toEqual(entries.map((e) => e.title));
  entries.forEach((entry, i) => {
    const page = render.measurement.landings.get(entry.id)?.page as number;
    const printedFolio = nonEmptyLines(pages[page] as string).at(-1);
    expect(tocLines[i]?.[2], `contents number of "${entry.title}"`).toBe(printedFolio);
    expect(pages[page]).toContain(entry.title);
  });
}

describe('PDF: feature fixture (5.5×8.5in, bleed, crop marks, footnotes)', () => {
  it('matches the text snapshot, page by page', async () => {
    await expect(textSnapshot(fixture.pages)).toMatchFileSnapshot(path.join(SNAPSHOTS, 'pdf-fixture.txt'));
  });

  it('has front matter in order: half-title, blank, title, copyright, contents', () => {
    const [half, blank, title, copyright, contents] = fixture.pages;
    expect(nonEmptyLines(half as string)).toEqual([fixture.book.metadata.title]);
    expect(blank).toBe('');
    expect(title).toContain('Translated by Mireille Dubois');
    for (const line of ['ISBN 978-3161484100', 'Source: https://example.org/compositors-handbook', 'Edition 2.1, 1 June 2024.', 'Made with Colophon.']) {
      expect(copyright).toContain(line);
    }
    expect(nonEmptyLines(contents as string)[0]).toBe('Contents');
    expect(nonEmptyLines(contents as string).at(-1), 'roman folio in the front matter').toBe('v');
  });

  it('opens chapters on rectos, with running heads and folios where they belong', () => checkPages(fixture));

  it('prints the right page number for every contents entry', () => checkToc(fixture));

  it('labels every page as its folio reads: roman in the front matter, arabic from 1 at the first chapter', () => {
    const labels = pageLabels(fixture.doc);
    const first = fixture.render.firstChapterPage;
    expect(labels.slice(0, first)).toEqual(Array.from({ length: first }, (_, i) => toRoman(i + 1)));
    expect(labels[first]).toBe('1');
    fixture.pages.forEach((text, i) => {
      const folio = nonEmptyLines(text).at(-1) ?? '';
      // Pages that print a folio (not openings of the front matter, not blanks) print their label.
      if (/^([ivxlc]+|\d+)$/.test(folio)) expect(folio, `page ${i + 1}`).toBe(labels[i]);
    });
  });

  it('has trim, bleed and crop-mark boxes on every page', () => {
    const { widthPt, heightPt } = fixture.book.metadata.print.trim;
    const bleed = fixture.book.metadata.print.bleedPt;
    expect(bleed).toBe(9);
    const slug = slugMarginPt(fixture.book);
    expect(slug).toBeGreaterThan(bleed);
    for (let i = 0; i < fixture.doc.getPageCount(); i++) {
      expect(boxOf(fixture.doc, i, 'TrimBox')).toEqual([0, 0, widthPt, heightPt]);
      expect(boxOf(fixture.doc, i, 'BleedBox')).toEqual([-bleed, -bleed, widthPt + bleed, heightPt + bleed]);
      expect(boxOf(fixture.doc, i, 'MediaBox')).toEqual([-slug, -slug, widthPt + slug, heightPt + slug]);
    }
  });

  it('embeds and subsets every font', () => {
    const fonts = pdffonts(fixture.file);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((f) => !f.embedded || !f.subset)).toEqual([]);
  });

  it('draws every character with the shipped fonts: polytonic Greek, Cyrillic and math included', () => {
    expect(fixture.render.warnings.filter((w) => w.code === 'pdf/missing-glyph' || w.code === 'pdf/system-font')).toEqual([]);
    const names = pdffonts(fixture.file).map((f) => f.name.replace(/^[A-Z]{6}\+/, '').split('-')[0]);
    expect([...new Set(names)].sort()).toEqual(['JetBrainsMono', 'NotoSerif', 'STIXTwoMath', 'SourceSerif4']);
  });

  it('reports a character no shipped font has, with chapter, file and line, and the system font it fell back to', async () => {
    // No shipped face has the interrobang (the emoji and symbol faces cover ☃ and ★); DejaVu has it.
    const dir = tempBook({ 'book.yaml': 'title: Snow\n', 'a.md': '# Weather\n\nSnow in June‽ Here.\n' });
    const book = await buildBook(loadManuscript(dir));
    const missing = missingGlyphWarnings(book);
    expect(missing).toMatchObject([{ code: 'pdf/missing-glyph', location: { file: path.join(dir, 'a.md'), line: 3 } }]);
    expect(missing[0]?.message).toContain('"‽" (U+203D), used in chapter "Weather"');
    const render = await renderPdf(book, { browser });
    expect(render.warnings.some((w) => w.code === 'pdf/system-font')).toBe(true);
  });

  it('has a nested outline from h1 and h2, links and metadata', () => {
    expect(outlineTitles(fixture.doc)).toEqual([
      'Contents',
      'Opening Words',
      '  Why plain text',
      'Tables and Code',
      '  A table of trims',
      '  Code',
      '  Mathematics',
      '  Other scripts',
      '  Notes',
      'Closing',
      '  Notes',
    ]);
    expect(fixture.doc.getTitle()).toBe(`${fixture.book.metadata.title}: Notes on Making Books from Plain Text`);
    expect(fixture.doc.getAuthor()).toBe('Ada Bright and Jonas Weber');
    expect(fixture.doc.getKeywords()).toBe('Typography Publishing');
    expect(fixture.doc.getCreationDate()?.toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(fixture.doc.catalog.lookup(PDFName.of('Lang'), PDFString, PDFHexString).decodeText()).toBe('en-GB');
    expect(fixture.doc.catalog.get(PDFName.of('StructTreeRoot')), 'tagged PDF').toBeDefined();
    const uris: string[] = [];
    let internal = 0;
    for (const page of fixture.doc.getPages()) {
      for (const ref of page.node.Annots()?.asArray() ?? []) {
        const annot = fixture.doc.context.lookup(ref, PDFDict);
        if (annot.get(PDFName.of('Dest'))) internal++;
        const uri = annot.lookupMaybe(PDFName.of('A'), PDFDict)?.lookupMaybe(PDFName.of('URI'), PDFString);
        if (uri) uris.push(uri.decodeText());
      }
    }
    expect(internal).toBeGreaterThan(10);
    expect(uris).toContain('https://example.org/autolink');
    const xmp = Buffer.from(fs.readFileSync(fixture.file)).toString('utf8');
    expect(xmp).toContain('<xmp:CreateDate>2024-06-01T00:00:00Z</xmp:CreateDate>');
  });

  it('keeps footnotes on the page of their first reference', () => {
    for (const chapter of fixture.book.chapters) {
      for (const note of chapter.footnotes) {
        const ref = fixture.render.measurement.landings.get(note.refIds[0] as string)?.page;
        expect(fixture.render.measurement.landings.get(note.id)?.page, note.id).toBe(ref);
      }
    }
  });

  it('is byte-identical when built again', async () => {
    const again = await renderPdf(fixture.book, { browser });
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(again.bytes)).toBe(sha(fixture.render.bytes));
  });

  it('keeps none of the per-run DOM node ids Chromium writes into the structure tree', () => {
    // Renderer node ids (node00000168) differ between runs only sometimes, so a hash comparison can
    // pass by luck; look for them directly, in every object, table header references included.
    const expanded = execFileSync('qpdf', ['--qdf', '--object-streams=disable', fixture.file, '-'], { maxBuffer: 256 * 1024 * 1024 }).toString('latin1');
    expect(expanded.match(/\(node\d+\)/g) ?? []).toEqual([]);
    // qpdf writes only reachable objects; orphans (an old /IDTree) are in the saved bytes themselves.
    expect(
      Buffer.from(fixture.render.bytes)
        .toString('latin1')
        .match(/\(node\d+\)/g) ?? [],
    ).toEqual([]);
    expect(expanded).toContain('/Headers');
  });

  it('is not shrunk to fit', () => {
    expect(fixture.render.scale).toBe(1);
    expect(fixture.render.warnings.filter((w) => w.code === 'pdf/shrink-to-fit')).toEqual([]);
  });

  it('matches the page images of key pages', () => {
    const first = fixture.render.firstChapterPage;
    const pages: [string, number][] = [
      ['title', 3],
      ['contents', 5],
      ['opening-footnotes', first + 1],
      ['running-head', first + 2],
    ];
    for (const [name, page] of pages) {
      const result = comparePng(renderPng(fixture.file, page), path.join(SNAPSHOTS, `pdf-fixture-${name}.png`));
      expect(result.differing, `${name}: see ${result.written}`).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
    }
  });
});

describe('PDF: the page-image comparison itself', () => {
  /** Words on a page with their boxes in points (pdftotext -bbox). */
  function wordBoxes(file: string, page: number): { word: string; x0: number; y0: number; x1: number; y1: number }[] {
    const xml = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
    return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      word: m[5] as string,
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
    }));
  }

  /** The page image with one word painted over in white, as if it had not been printed. */
  function withoutWord(png: PNG, box: { x0: number; y0: number; x1: number; y1: number }): PNG {
    const out = new PNG({ width: png.width, height: png.height });
    png.data.copy(out.data);
    const px = (pt: number) => Math.round((pt * SNAPSHOT_DPI) / 72);
    for (let y = px(box.y0); y <= px(box.y1); y++) {
      for (let x = px(box.x0); x <= px(box.x1); x++) out.data.fill(255, (y * png.width + x) * 4, (y * png.width + x) * 4 + 4);
    }
    return out;
  }

  it('fails when a page loses its folio or one word, and passes the same page unchanged', () => {
    const page = sample.render.firstChapterPage + 2;
    const png = renderPng(sample.file, page);
    const reference = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pngself-')), 'page.png');
    fs.writeFileSync(reference, PNG.sync.write(png));
    expect(comparePng(renderPng(sample.file, page), reference, { update: false }).differing).toBe(0);
    const words = wordBoxes(sample.file, page);
    const folio = words.reduce((low, w) => (w.y0 > low.y0 ? w : low));
    expect(folio.word).toMatch(/^\d+$/);
    const shortWord = words.find((w) => w.word === 'the') ?? (words[10] as (typeof words)[number]);
    for (const lost of [folio, shortWord]) {
      expect(comparePng(withoutWord(png, lost), reference, { update: false }).differing, `without "${lost.word}"`).toBeGreaterThan(MAX_DIFFERING_PIXELS);
    }
  });
});

describe('PDF: sample book (6×9in, no bleed)', () => {
  it('matches the text snapshot, page by page', async () => {
    await expect(textSnapshot(sample.pages)).toMatchFileSnapshot(path.join(SNAPSHOTS, 'pdf-sample.txt'));
  });

  it('has TrimBox = MediaBox at the trim size', () => {
    for (let i = 0; i < sample.doc.getPageCount(); i++) {
      expect(boxOf(sample.doc, i, 'MediaBox')).toEqual([0, 0, 432, 648]);
      expect(boxOf(sample.doc, i, 'TrimBox')).toEqual([0, 0, 432, 648]);
    }
  });

  it('uses only the shipped fonts, all embedded', () => {
    const fonts = pdffonts(sample.file);
    expect(fonts.every((f) => f.embedded && f.subset)).toBe(true);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).filter((n) => !/^(SourceSerif4|JetBrainsMono)-/.test(n))).toEqual([]);
  });

  it('opens on rectos and numbers pages and contents correctly, at scale 1', () => {
    checkPages(sample);
    checkToc(sample);
    expect(sample.render.scale).toBe(1);
  });

  it('matches the page images of its opening and a running-head page', () => {
    const first = sample.render.firstChapterPage;
    for (const [name, page] of [
      ['opening', first + 1],
      ['running-head', first + 2],
    ] as const) {
      const result = comparePng(renderPng(sample.file, page), path.join(SNAPSHOTS, `pdf-sample-${name}.png`));
      expect(result.differing, `${name}: see ${result.written}`).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
    }
  });
});

describe('PDF: print modes and guards', () => {
  it('sets chapter endnotes when print.notes is endnotes', async () => {
    const book: Book = { ...fixture.book, metadata: { ...fixture.book.metadata, print: { ...fixture.book.metadata.print, notes: 'endnotes' } } };
    const render = await renderPdf(book, { browser });
    const pages = pageTexts(writeTemp(render.bytes, 'endnotes.pdf'));
    const opening = fixture.book.chapters[0];
    const notesPage = render.measurement.landings.get(opening?.footnotes[0]?.id as string)?.page as number;
    const nextChapter = render.measurement.landings.get(fixture.book.chapters[1]?.id as string)?.page as number;
    expect(notesPage).toBeLessThan(nextChapter);
    expect(notesPage).toBeGreaterThan(render.measurement.landings.get(opening?.footnotes[0]?.refIds[0] as string)?.page as number);
    expect(pages[notesPage]).toMatch(/Notes\s+1\. The first footnote/);
    checkPages({ ...fixture, book, render, pages });
  });

  it('refuses every request outside the manuscript, the fonts and the styles', async () => {
    const doc = printDocument(fixture.book, { blanksBefore: new Set() }, pageGeometry(fixture.book));
    const html = doc.html.replace(
      '</body>',
      '<img src="file:///etc/passwd"><img src="../../../../etc/hostname"><img src="https://example.org/tracker.png"><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></body>',
    );
    const result = await browser.print({ html, allowedRoots: doc.allowedRoots, pdf: {} });
    expect(result.blocked).toEqual(
      expect.arrayContaining(['file:///etc/passwd', 'file:///etc/hostname', 'https://example.org/tracker.png', 'http://127.0.0.1:9/x.css']),
    );
    expect(result.blocked.some((u) => u.includes('fixtures/feature-book') || u.includes('@fontsource'))).toBe(false);
  });

  it('runs no script in the print page, as a book stylesheet can tell', async () => {
    // The sanitiser already refuses <script> in a manuscript; this checks the second wall: the print
    // page itself has scripting off. CSS sees it through the `scripting` media feature.
    const dir = tempBook({
      'book.yaml': 'title: Scripting\nstyles: [probe.css]\n',
      'a.md': '# A\n\nText.\n',
      'probe.css':
        '@media (scripting: enabled) { section.chapter > h1::after { content: " SCRIPTING-ENABLED"; } }\n@media (scripting: none) { section.chapter > h1::after { content: " SCRIPTING-OFF"; } }\n',
    });
    const text = pageTexts(writeTemp((await renderPdf(await bookOf(dir), { browser })).bytes, 'scripting.pdf')).join('\n');
    expect(text).toContain('SCRIPTING-OFF');
    expect(text).not.toContain('SCRIPTING-ENABLED');
    // And raw markup that slipped past every check would not run either: a script does nothing, and
    // <noscript> shows because scripting is off.
    const doc = printDocument(fixture.book, { blanksBefore: new Set() }, pageGeometry(fixture.book));
    const html = doc.html.replace('</body>', '<script>document.body.append("SCRIPT-RAN")</script><noscript>NOSCRIPT-SHOWN</noscript></body>');
    const printed = pageTexts(writeTemp((await browser.print({ html, allowedRoots: doc.allowedRoots, pdf: {} })).pdf, 'script.pdf')).join('\n');
    expect(printed).toContain('NOSCRIPT-SHOWN');
    expect(printed).not.toContain('SCRIPT-RAN');
  });

  it('detects shrink-to-fit when an element is wider than the page', async () => {
    const doc = printDocument(fixture.book, { blanksBefore: new Set() }, pageGeometry(fixture.book));
    const html = doc.html.replace('</body>', '<div style="width: 3000px">too wide</div></body>');
    const result = await browser.print({ html, allowedRoots: doc.allowedRoots, pdf: { preferCSSPageSize: true } });
    expect(measure(await PDFDocument.load(result.pdf)).scale).toBeLessThan(0.9);
  });

  it('ends with a ColophonError, within its time limit, when the browser does not answer', async () => {
    const slow = await PrintBrowser.launch({ loadMs: 1 });
    const started = performance.now();
    try {
      await expect(renderPdf(fixture.book, { browser: slow })).rejects.toBeInstanceOf(ColophonError);
    } finally {
      await slow.close();
    }
    // A 1 ms load limit, not the default 60 s: a hang guard with room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
