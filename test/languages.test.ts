/**
 * Books in every language (issue 19): one short book per script in test/fixtures/languages, each built
 * in every format and read back. No warnings, contents numbers equal to the printed folios, chapters
 * on rectos (the left-hand page in a right-to-left book), only shipped fonts, EPUBCheck clean, DAISY Ace
 * with 0 violations, no English word in the pages Colophon writes, and page images of a Hebrew and a
 * Japanese opening.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { PDFDict, PDFDocument, PDFName, ReadingDirection } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLabels } from '../src/config/labels.ts';
import { shippedPostscriptNames } from '../src/fonts/catalogue.ts';
import type { Book } from '../src/model/book.ts';
import { aceCli, runAce } from '../src/outputs/epub/ace.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { webDocument } from '../src/outputs/html.ts';
import { folioOf } from '../src/outputs/pdf/pagination.ts';
import { printedTocEntries } from '../src/outputs/pdf/print-html.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { type PdfRender, renderPdf } from '../src/outputs/pdf.ts';
import { javaEpubcheck, readEntries } from './helpers/epub.ts';
import { bookOf, comparePng, MAX_DIFFERING_PIXELS, nonEmptyLines, pageTexts, pdffonts, renderPng, writeTemp } from './helpers/pdf.ts';

const FIXTURES = path.resolve('test/fixtures/languages');
const SNAPSHOTS = path.resolve('test/__snapshots__');
const LANGUAGES = ['fr', 'de', 'ru', 'el', 'zh', 'ja', 'he', 'ar', 'hi'];

interface Printed {
  book: Book;
  render: PdfRender;
  file: string;
  pages: string[];
  epub: Uint8Array;
}

let browser: PrintBrowser;
const books = new Map<string, Printed>();

beforeAll(async () => {
  browser = await PrintBrowser.launch();
  for (const language of LANGUAGES) {
    const book = await bookOf(path.join(FIXTURES, language));
    const render = await renderPdf(book, { browser });
    const file = writeTemp(render.bytes, `${language}.pdf`);
    books.set(language, { book, render, file, pages: pageTexts(file), epub: await renderEpub(book, { browser }) });
  }
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

const get = (language: string) => books.get(language) as Printed;

/** pdftotext wraps right-to-left runs in bidi embedding marks (U+202A–U+202E); the text is what counts. */
const plain = (page: string) => page.replace(/[\u202a-\u202e]/g, '');
const lines = (page: string) => nonEmptyLines(plain(page));

/** Words of the English furniture that must not appear in another language's generated pages. */
function englishWords(language: string): RegExp {
  const shared: Record<string, string[]> = { fr: ['notes', 'source', 'introduction'] };
  const words = new Set(
    Object.values(resolveLabels('en').labels)
      .flatMap((l) => l.replace(/\{[a-z]+\}/g, '').match(/[A-Za-z]{2,}/g) ?? [])
      .map((w) => w.toLowerCase())
      .filter((w) => !shared[language]?.includes(w)),
  );
  return new RegExp(`\\b(${[...words].join('|')})\\b`, 'i');
}

describe.each(LANGUAGES)('a book in %s', (language) => {
  it('builds in every format with no warning', () => {
    const { book, render } = get(language);
    expect(book.diagnostics).toEqual([]);
    expect(render.warnings).toEqual([]);
  });

  it('opens every chapter on a recto and prints the contents numbers that its folios show', () => {
    const { book, render, pages } = get(language);
    for (const chapter of book.chapters) expect(render.measurement.landings.get(chapter.id)?.page, chapter.title).toSatisfy((p: number) => p % 2 === 0);
    const entries = printedTocEntries(book);
    expect(entries.length).toBeGreaterThan(2);
    const contents = render.measurement.landings.get('contents')?.page as number;
    for (const entry of entries) {
      const page = render.measurement.landings.get(entry.id)?.page as number;
      const folio = folioOf(page, render.firstChapterPage);
      expect(render.pagination.tocNumbers.get(entry.id), entry.title).toBe(folio);
      expect(lines(pages[page] as string).at(-1), `folio printed under "${entry.title}"`).toBe(folio);
      expect(plain(pages[contents] as string), 'the contents page shows the number').toMatch(new RegExp(`(^|\\s)${folio}(\\s|$)`, 'm'));
    }
  });

  it('embeds only shipped fonts, all of them', () => {
    const shipped = shippedPostscriptNames();
    const fonts = pdffonts(get(language).file);
    expect(fonts.filter((f) => !f.embedded)).toEqual([]);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).filter((n) => !shipped.has(n))).toEqual([]);
  });

  it('names every destination within the 127 bytes PDF readers take, and every outline entry finds its one', async () => {
    const pdf = await PDFDocument.load(get(language).render.bytes, { updateMetadata: false });
    const dests = pdf.catalog.lookup(PDFName.of('Dests'), PDFDict);
    const names = new Set(dests.keys().map((n) => n.decodeText()));
    for (const name of names) expect(name.length, name).toBeLessThanOrEqual(127);
    for (
      let item = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict).lookupMaybe(PDFName.of('First'), PDFDict);
      item;
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
    ) {
      expect(names.has(item.lookup(PDFName.of('Dest'), PDFName).decodeText())).toBe(true);
    }
  });

  it('passes EPUBCheck with no message', async () => {
    const counts = await javaEpubcheck(get(language).epub, language);
    expect(counts).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  }, 120_000);

  it.runIf(aceCli() !== undefined)(
    'passes DAISY Ace with 0 violations',
    async () => {
      const ace = await runAce(get(language).epub);
      expect(ace.skipped).toBeUndefined();
      expect(ace.violations).toEqual([]);
    },
    180_000,
  );

  it('writes no English word in the pages it generates', async () => {
    const { book, render, pages, epub } = get(language);
    const english = englishWords(language);
    const entries = await readEntries(epub);
    const generated = [
      ...pages.slice(0, render.firstChapterPage),
      ...['OEBPS/titlepage.xhtml', 'OEBPS/copyright.xhtml', 'OEBPS/toc.xhtml'].map((name) => entries.get(name) ?? ''),
      // aria-labels and notes sections of the chapter files.
      ...[...entries.entries()]
        .filter(([name]) => /ch-.*\.xhtml$/.test(name))
        .flatMap(([, xml]) => [...xml.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1])),
      toHtml(webDocument(book, { inlineAssets: false })).replace(/<style>[\s\S]*?<\/style>/, ''),
    ];
    for (const text of generated) expect(String(text).replace(/Colophon|ISBN|https?:\/\/\S+|<[^>]*>/g, ' ')).not.toMatch(english);
  });
});

describe('right-to-left books', () => {
  it.each(['he', 'ar'])('%s: dir="rtl" on every document, an rtl spine and an R2L PDF', async (language) => {
    const { book, epub, file } = get(language);
    expect(book.metadata.direction).toBe('rtl');
    const entries = await readEntries(epub);
    const documents = [...entries.entries()].filter(([name]) => name.endsWith('.xhtml'));
    expect(documents.length).toBeGreaterThan(3);
    for (const [name, xml] of documents) expect(xml, name).toMatch(/<html [^>]*dir="rtl"/);
    expect(entries.get('OEBPS/content.opf')).toMatch(/<spine [^>]*page-progression-direction="rtl"/);
    expect(toHtml(webDocument(book, { inlineAssets: false }))).toMatch(/<html [^>]*dir="rtl"/);
    const pdf = await PDFDocument.load(fs.readFileSync(file), { updateMetadata: false });
    expect(pdf.catalog.getViewerPreferences()?.getReadingDirection()).toBe(ReadingDirection.R2L);
  });

  it('binds on the right: rectos are left-hand pages with the gutter at their right edge, versos carry the book title', () => {
    const { book, render, file, pages } = get('he');
    const opening = render.measurement.landings.get(book.chapters[0]?.id as string)?.page as number;
    const margins = (page: number) => {
      const xml = execFileSync('pdftotext', ['-bbox', '-f', String(page + 1), '-l', String(page + 1), file, '-'], { encoding: 'utf8' });
      const width = Number(/<page width="([\d.]+)"/.exec(xml)?.[1]);
      const words = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
      return { left: Math.min(...words.map((w) => w[0])), right: width - Math.max(...words.map((w) => w[1])) };
    };
    const recto = margins(opening);
    const verso = margins(opening + 1);
    expect(recto.right, 'recto: the gutter is on the right').toBeGreaterThan(recto.left + 10);
    expect(verso.left, 'verso: the gutter is on the left').toBeGreaterThan(verso.right + 10);
    expect(lines(pages[opening + 1] as string)[0], 'running head on the verso').toBe(book.metadata.title);
  });
});

describe('page images', () => {
  it.each(['he', 'ja'])('%s: the first chapter opening matches the reviewed image', (language) => {
    const { book, render, file } = get(language);
    const page = (render.measurement.landings.get(book.chapters[0]?.id as string)?.page as number) + 1;
    const result = comparePng(renderPng(file, page), path.join(SNAPSHOTS, `pdf-${language}-opening.png`));
    expect(result.differing, `see ${result.written}`).toBeLessThanOrEqual(MAX_DIFFERING_PIXELS);
  });
});
