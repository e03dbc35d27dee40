/**
 * Real books, end to end: every corpus book builds in every format with every word of its prose in
 * each output's text, in order (helpers/text.ts), passes EPUBCheck with 0 errors and 0 warnings, has
 * no MathML when it has no math, and has the contents its chapters call for (a reviewed snapshot).
 * Adding a book is one line in BOOKS.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Book } from '../src/model/book.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { html } from '../src/outputs/html.ts';
import type { PrintedPage } from '../src/outputs/page-breaks.ts';
import { pageGeometry } from '../src/outputs/pdf/page-css.ts';
import { PrintBrowser } from '../src/outputs/pdf/session.ts';
import { renderPdf } from '../src/outputs/pdf.ts';
import { expectCalibreShows } from './helpers/calibre.ts';
import { javaEpubcheck, readEntries } from './helpers/epub.ts';
import { bookOf, writeTemp } from './helpers/pdf.ts';
import { CORPUS } from './helpers/temp-book.ts';
import { epubSpineXhtml, epubText, findLostText, htmlText, manuscriptProse, pdfPageTexts, pdfText, words } from './helpers/text.ts';

interface CorpusBook {
  /** File or folder under test/corpus. */
  input: string;
  /** The chapter files in reading order, for the no-text-lost check (a single file: itself). */
  files?: string[];
  title: string;
  chapters: number;
  /**
   * Pages per print for the check that the book printed in parts by two tabs (from copies of the
   * paginated page) has the bytes of one tab printing them all: two more prints, so one book has it.
   */
  printedInParts?: number;
}

const BOOKS: CorpusBook[] = [
  { input: 'pride-and-prejudice.md', title: 'Pride and Prejudice', chapters: 61, printedInParts: 150 },
  { input: 'walden.md', title: 'Walden', chapters: 18 },
  { input: 'alice.md', title: 'Alice’s Adventures in Wonderland', chapters: 12 },
];

/** A novel's model, three outputs and EPUBCheck take a minute on an idle 2-core machine; several times that under load. */
const HANG_GUARD_MS = 600_000;

/** Lets the worker answer vitest between long synchronous steps (a novel's parse takes seconds, more under load). */
const tick = () => new Promise((resolve) => setImmediate(resolve));

let browser: PrintBrowser;
beforeAll(async () => {
  browser = await PrintBrowser.launch();
});
afterAll(async () => {
  await browser?.close();
});

for (const entry of BOOKS) {
  describe(entry.input, () => {
    const input = path.join(CORPUS, entry.input);
    const sources = (entry.files ?? [entry.input]).map((f) => fs.readFileSync(path.join(CORPUS, f), 'utf8'));
    let book: Book;
    let web: string;
    let epub: Uint8Array;
    let epubEntries: Map<string, string>;
    let pdfFile: string;
    let pageMap: PrintedPage[];

    beforeAll(async () => {
      book = await bookOf(input);
      await tick();
      // As in a build: the PDF first, whose page map gives the web edition and the EPUB their print page markers.
      const pdf = await renderPdf(book, { browser });
      pdfFile = writeTemp(pdf.bytes, 'book.pdf');
      pageMap = pdf.pagination.pageMap;
      await tick();
      web = Buffer.from(await html.render(book, { log: () => {}, warn: () => {}, results: { print: pdf.pagination } })).toString('utf8');
      await tick();
      epub = await renderEpub(book, { pages: pageMap, browser });
      epubEntries = await readEntries(epub);
    }, HANG_GUARD_MS);

    it('reads the title block as metadata and makes every chapter heading a chapter', () => {
      expect(book.metadata.title).toBe(entry.title);
      expect(book.chapters).toHaveLength(entry.chapters);
      expect(book.toc).toHaveLength(entry.chapters);
      expect(book.diagnostics).toEqual([]);
    });

    it('loses no word: web edition, EPUB and PDF text hold every word of the manuscript in order', { timeout: HANG_GUARD_MS }, async () => {
      const prose = manuscriptProse(sources);
      await tick();
      expect(findLostText(prose, htmlText(web, 'main'))).toBeUndefined();
      await tick();
      expect(findLostText(prose, await epubText(epub))).toBeUndefined();
      await tick();
      // The text block of both recto and verso (mirrored margins): running heads and folios stay out.
      const g = pageGeometry(book);
      const side = Math.min(g.insidePt, g.outsidePt);
      const area = { x: side, y: g.topPt, width: g.widthPt - 2 * side, height: g.heightPt - g.topPt - g.bottomPt };
      expect(findLostText(prose, await pdfText(pdfFile, area), { pdf: true })).toBeUndefined();
    });

    it('has no MathML and claims none: the book has no math', () => {
      expect(web).not.toContain('<math');
      for (const [name, text] of epubEntries) expect(text, name).not.toMatch(/<math|mathml|MathML/);
    });

    it('carries no soft hyphen in the EPUB and web text', () => {
      expect(web).not.toContain('\u00ad');
      for (const [name, text] of epubEntries) expect(text, name).not.toContain('\u00ad');
    });

    it('marks every printed page where it begins: after marker N, the EPUB and the web edition read as PDF page N starts', {
      timeout: HANG_GUARD_MS,
    }, async () => {
      const g = pageGeometry(book);
      const side = Math.min(g.insidePt, g.outsidePt);
      const pdfPages = await pdfPageTexts(pdfFile, { x: side, y: g.topPt, width: g.widthPt - 2 * side, height: g.heightPt - g.topPt - g.bottomPt });
      expect(pdfPages.length).toBe(pageMap.length);
      const core = (text: string) =>
        words(text)
          .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
          .filter(Boolean)
          .slice(0, 4)
          .join(' ');
      // The text after each marker, up to the next one, in reading order: markers become separators (a private-use character the books do not hold).
      const textAfterMarkers = (text: string) => {
        const out = new Map<string, string>();
        const parts = text.split(/\uE000(page-[^\uE000]+)\uE000/);
        for (let i = 1; i < parts.length; i += 2)
          out.set(
            parts[i] as string,
            parts
              .slice(i + 1)
              .filter((_, j) => j % 2 === 0)
              .join(' '),
          );
        return out;
      };
      const marked = (xhtml: string) => xhtml.replace(/<span id="(page-[^"]+)"[^>]*role="doc-pagebreak"[^>]*(?:\/>|><\/span>)/g, ' \uE000$1\uE000 ');
      const epubAfter = textAfterMarkers((await epubSpineXhtml(epub)).map((doc) => htmlText(marked(doc), 'body')).join(' '));
      const webAfter = textAfterMarkers(htmlText(marked(web), 'main'));
      const list = [...(epubEntries.get('OEBPS/toc.xhtml') ?? '').matchAll(/<a href="([^"#]+)#(page-[^"]+)">([^<]+)<\/a>/g)];
      expect(list.map((m) => m[3])).toEqual(pageMap.map((p) => p.label));
      let compared = 0;
      pageMap.forEach((page, i) => {
        const id = list[i]?.[2] as string;
        const pdfStart = core(pdfPages[i] ?? '');
        // Blank pages and the generated front matter (title, copyright, contents) have no text in common.
        if (page.blank || !pdfStart || !book.chapters.some((c) => c.id === page.flow)) return;
        expect(core(epubAfter.get(id) ?? ''), `EPUB page ${page.label}`).toBe(pdfStart);
        expect(core(webAfter.get(id) ?? ''), `web page ${page.label}`).toBe(pdfStart);
        compared++;
      });
      // Every page with text of its own was compared (blank versos and the generated front matter are not).
      expect(compared).toBeGreaterThan(pageMap.length * 0.8);
    });

    if (entry.printedInParts) {
      const pagesPerPrint = entry.printedInParts;
      it('prints the same bytes in parts from two tabs as from one', { timeout: HANG_GUARD_MS }, async () => {
        // Both print from copies of the paginated page: which tab takes which part must not show.
        const two = await renderPdf(book, { browser, pagesPerPrint, printLanes: 2 });
        const one = await renderPdf(book, { browser, pagesPerPrint, printLanes: 1 });
        expect(two.prints).toBeGreaterThan(1);
        expect(Buffer.compare(Buffer.from(two.bytes), Buffer.from(one.bytes))).toBe(0);
        expect(two.pageCount).toBe(Number(execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]));
      });
    }

    it('has the reviewed contents', async () => {
      await expect(epubEntries.get('OEBPS/toc.xhtml')).toMatchFileSnapshot(`__snapshots__/corpus/${path.basename(entry.input, '.md')}.nav.xhtml`);
    });

    it('shows calibre its title, authors with sort names, language, date and cover', { timeout: HANG_GUARD_MS }, async () => {
      await expectCalibreShows(book, epub, path.basename(entry.input, '.md'));
    });

    it('passes W3C EPUBCheck with 0 errors and 0 warnings', { timeout: HANG_GUARD_MS }, async () => {
      const result = await javaEpubcheck(epub, path.basename(entry.input, '.md'));
      expect({ fatals: result.fatals, errors: result.errors, warnings: result.warnings, messages: result.messages }).toEqual({
        fatals: 0,
        errors: 0,
        warnings: 0,
        messages: [],
      });
    });
  });
}

describe('the corpus', () => {
  it('holds the books byte for byte as they were found (test/corpus/SHA256SUMS)', () => {
    const sums = fs.readFileSync(path.join(CORPUS, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.length).toBeGreaterThan(60);
    for (const line of sums) {
      const [sum, file] = line.split(/\s+/) as [string, string];
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(CORPUS, file)))
          .digest('hex'),
        file,
      ).toBe(sum);
    }
  });
});
