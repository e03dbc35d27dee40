/**
 * mdBook projects build as they are. The Rustonomicon (test/corpus/nomicon, kept as its authors keep
 * it) builds with nothing for its author to act on, its contents are its SUMMARY.md entry for entry,
 * and every link between its chapters lands on the right heading in the web edition, the EPUB and the
 * PDF (named destinations). The fixture (test/fixtures/mdbook-book) covers what the nomicon does not
 * use: parts, drafts, separators, suffix chapters, includes, hidden lines, captions, image sizes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString as hastToString } from 'hast-util-to-string';
import JSZip from 'jszip';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.ts';
import { freezeEdition } from '../src/edition/freeze.ts';
import { parseSummary } from '../src/manuscript/mdbook/summary.ts';
import type { Book, TocEntry } from '../src/model/book.ts';
import { pageGeometry, textBlock } from '../src/outputs/pdf/page-css.ts';
import { expectCalibreShows } from './helpers/calibre.ts';
import { javaEpubcheck } from './helpers/epub.ts';
import { pageTexts } from './helpers/pdf.ts';
import { CORPUS } from './helpers/temp-book.ts';
import { epubText, findLostText, htmlText, manuscriptProse, pdfText, withoutMdBookHiddenLines } from './helpers/text.ts';

const NOMICON = path.join(CORPUS, 'nomicon');
const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/mdbook-book');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-mdbook-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface Built {
  book: Book;
  html: string;
  epub: Uint8Array;
  pdf: string;
}
async function buildAll(input: string, name: string): Promise<Built> {
  const result = await build({ input, outDir: path.join(out, name), env: {} });
  const file = (format: string) => result.files.find((f) => f.format === format)?.path as string;
  return { book: result.book, html: fs.readFileSync(file('html'), 'utf8'), epub: fs.readFileSync(file('epub')), pdf: file('pdf') };
}

/** The contents as [depth, title] in reading order. */
function flatToc(entries: TocEntry[]): [number, string][] {
  return entries.flatMap((e) => [[e.depth, e.title] as [number, string], ...flatToc(e.children)]);
}

/** Every in-book link of the model: its target id, and the text of the heading (or chapter) it lands on. */
function internalTargets(book: Book): Map<string, string> {
  const headingText = new Map<string, string>();
  for (const chapter of book.chapters) {
    let first: string | undefined;
    visit(chapter.hast as Root, 'element', (node: Element) => {
      if (!headingRank(node)) return;
      const text = hastToString(node)
        .replace(/\u00ad/g, '')
        .trim();
      first ??= text;
      if (node.properties.id) headingText.set(String(node.properties.id), text);
    });
    headingText.set(chapter.id, first ?? chapter.title);
  }
  const targets = new Map<string, string>();
  for (const chapter of book.chapters) {
    visit(chapter.hast as Root, 'element', (node: Element) => {
      const href = node.properties.href;
      if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#') || node.properties.dataFootnoteRef !== undefined) return;
      const id = decodeURIComponent(href.slice(1));
      const text = headingText.get(id);
      if (text !== undefined && book.anchors[id] !== chapter.id) targets.set(id, text);
    });
  }
  return targets;
}

/** Link annotations (page, destination name) and each named destination's page, read with pdf-lib. */
async function pdfLinks(file: string): Promise<{ links: { page: number; dest: string }[]; dests: Map<string, number> }> {
  const doc = await PDFDocument.load(fs.readFileSync(file));
  const pages = doc.getPages();
  const pageOf = new Map(pages.map((p, i) => [p.ref.toString(), i + 1]));
  const dests = new Map<string, number>();
  const table = doc.catalog.lookup(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of table.entries()) {
    const target = (doc.context.lookup(value) as PDFArray).get(0) as PDFRef;
    dests.set(name.decodeText(), pageOf.get(target.toString()) ?? -1);
  }
  const links: { page: number; dest: string }[] = [];
  pages.forEach((page, i) => {
    const annots = page.node.lookup(PDFName.of('Annots'));
    if (!(annots instanceof PDFArray)) return;
    for (const ref of annots.asArray()) {
      const dest = (doc.context.lookup(ref) as PDFDict).get(PDFName.of('Dest'));
      if (dest instanceof PDFName) links.push({ page: i + 1, dest: dest.decodeText() });
    }
  });
  return { links, dests };
}

/** The printed width of each image drawn in a PDF, in inches, in page order (poppler's pdfimages). */
function printedImageWidthsIn(file: string): number[] {
  return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'image')
    .map((cols) => Number(cols[3]) / Number(cols[12]));
}

const squash = (s: string) =>
  s
    .replace(/\u00ad/g, '')
    .replace(/-\s+/g, '')
    .replace(/\s+/g, ' ');

describe('the Rustonomicon, an mdBook project as its authors keep it', () => {
  let nomicon: Built;
  beforeAll(async () => {
    nomicon = await buildAll(NOMICON, 'nomicon');
  }, 900_000);

  it('reads book.toml and builds with no warning for its author to act on', () => {
    const { metadata, diagnostics } = nomicon.book;
    expect(metadata).toMatchObject({ title: 'The Rustonomicon', description: 'The Dark Arts of Advanced and Unsafe Rust Programming' });
    expect(metadata.creators).toEqual([{ name: 'The Rust Project Developers', role: 'author' }]);
    expect(diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    // Links to the rest of doc.rust-lang.org (../std/…) cannot work in a book: one note says so.
    expect(diagnostics.map((d) => d.code)).toEqual(['link/outside-book']);
  });

  it('has SUMMARY.md as its contents, entry for entry', () => {
    const summary = parseSummary(fs.readFileSync(path.join(NOMICON, 'src/SUMMARY.md'), 'utf8'), 'SUMMARY.md');
    const expected = summary.entries.flatMap((e) => (e.kind === 'chapter' ? [[Math.min(3, e.depth), e.title] as [number, string]] : []));
    expect(expected).toHaveLength(63);
    expect(flatToc(nomicon.book.toc)).toEqual(expected);
    expect(nomicon.book.chapters.map((c) => c.source)).toEqual(
      summary.entries.flatMap((e) => (e.kind === 'chapter' ? [path.posix.join('src', path.posix.normalize(e.path))] : [])),
    );
  });

  it('lands every link between chapters on its heading in the web edition', () => {
    const targets = internalTargets(nomicon.book);
    // Links written as other.md, other.md#anchor and mdBook's other.html / other.html#anchor.
    expect(targets.size).toBeGreaterThan(20);
    for (const id of targets.keys()) expect(nomicon.html).toContain(`id="${id}"`);
  });

  it('lands every link between chapters on its heading in the EPUB, which EPUBCheck passes', async () => {
    const zip = await JSZip.loadAsync(nomicon.epub);
    const files = new Map<string, string>();
    for (const entry of Object.values(zip.files).filter((f) => f.name.endsWith('.xhtml')))
      files.set(path.posix.basename(entry.name), await entry.async('string'));
    let checked = 0;
    for (const [name, xhtml] of files) {
      for (const m of xhtml.matchAll(/<a [^>]*href="([^"#]+\.xhtml)(?:#([^"]+))?"/g)) {
        const target = files.get(m[1] as string);
        expect(target, `${name} links to ${m[1]}`).toBeDefined();
        if (m[2]) expect(target, `${name} links to ${m[1]}#${m[2]}`).toContain(`id="${m[2]}"`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Its Illustrator SVG declares an external DTD, which EPUB 3 forbids: the EPUB carries it without.
    const check = await javaEpubcheck(nomicon.epub, 'nomicon');
    expect({ fatals: check.fatals, errors: check.errors, warnings: check.warnings, messages: check.messages }).toEqual({
      fatals: 0,
      errors: 0,
      warnings: 0,
      messages: [],
    });
  }, 300_000);

  it('shows calibre its title, authors, language and cover', async () => {
    await expectCalibreShows(nomicon.book, nomicon.epub, 'nomicon');
  }, 120_000);

  it('loses no word: web edition, EPUB and PDF text hold every word of every chapter in order', async () => {
    // The chapter files in SUMMARY.md's order, read straight from the links (not through the importer).
    const summary = fs.readFileSync(path.join(NOMICON, 'src/SUMMARY.md'), 'utf8');
    const files = [...summary.matchAll(/\]\(([^)\s]+\.md)\)/g)].map((m) => path.join(NOMICON, 'src', m[1] as string));
    expect(files).toHaveLength(nomicon.book.chapters.length);
    const prose = manuscriptProse(files.map((f) => withoutMdBookHiddenLines(fs.readFileSync(f, 'utf8'))));
    expect(findLostText(prose, htmlText(nomicon.html, 'main'))).toBeUndefined();
    expect(findLostText(prose, await epubText(nomicon.epub))).toBeUndefined();
    const g = pageGeometry(nomicon.book);
    const side = Math.min(g.insidePt, g.outsidePt);
    const area = { x: side, y: g.topPt, width: g.widthPt - 2 * side, height: g.heightPt - g.topPt - g.bottomPt };
    // Code with comments aligned in a column: read the PDF in the order it was drawn.
    expect(findLostText(prose, await pdfText(nomicon.pdf, area, { streamOrder: true }), { pdf: true })).toBeUndefined();
  }, 300_000);

  it('has no MathML and no soft hyphen in the web edition and the EPUB, and the reviewed contents', async () => {
    expect(nomicon.html).not.toContain('<math');
    expect(nomicon.html).not.toContain('\u00ad');
    const zip = await JSZip.loadAsync(nomicon.epub);
    for (const entry of Object.values(zip.files).filter((f) => /\.(xhtml|opf)$/.test(f.name))) {
      const text = await entry.async('string');
      expect(text, entry.name).not.toMatch(/<math|mathml|MathML/);
      expect(text, entry.name).not.toContain('\u00ad');
    }
    await expect(await zip.file('OEBPS/toc.xhtml')?.async('string')).toMatchFileSnapshot('__snapshots__/corpus/nomicon.nav.xhtml');
  });

  it('lands every link between chapters on its heading in the PDF (named destinations)', async () => {
    const texts = pageTexts(nomicon.pdf).map(squash);
    const { links, dests } = await pdfLinks(nomicon.pdf);
    const targets = internalTargets(nomicon.book);
    let checked = 0;
    for (const link of links) {
      const heading = targets.get(link.dest);
      if (heading === undefined) continue;
      const page = dests.get(link.dest);
      expect(page, `destination ${link.dest}`).toBeGreaterThan(0);
      expect(texts[(page as number) - 1], `${link.dest} on page ${page}`).toContain(squash(heading));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
});

describe('an mdBook project with every feature Colophon reads (test/fixtures/mdbook-book)', () => {
  let fixture: Built;
  beforeAll(async () => {
    fixture = await buildAll(FIXTURE, 'fixture');
  }, 600_000);

  it('takes metadata from book.toml and [output.colophon]', () => {
    const { metadata } = fixture.book;
    expect(metadata).toMatchObject({ title: 'The Fixture mdBook', language: 'en', date: '2024-05-01' });
    expect(metadata.creators.map((c) => c.name)).toEqual(['Ann Author', 'Bo Writer']);
    expect(metadata.print.trim).toMatchObject({ widthPt: 396, heightPt: 612 });
  });

  it('makes the contents from SUMMARY.md: parts hold their chapters, drafts and separators leave no entry', () => {
    expect(flatToc(fixture.book.toc)).toEqual([
      [1, 'Introduction'],
      [1, 'Getting Going'],
      [2, 'The Guide'],
      [3, 'Setting Up'],
      [3, 'Pictures'],
      [2, 'Code'],
      [1, 'Looking Back'],
      [2, 'Summary of Things'],
      [1, 'Appendix'],
    ]);
  });

  it('says what it skipped in notes, and warns about a link to a file that is not in the book', () => {
    expect(fixture.book.diagnostics.map((d) => [d.severity, d.code, d.location?.line])).toEqual([
      ['note', 'mdbook/preprocessor', 15],
      ['note', 'mdbook/draft-chapter', 12],
      ['warning', 'link/not-in-book', 11],
      ['note', 'link/outside-book', 11],
    ]);
  });

  it('expands includes, hides what mdBook hides, highlights by the first word, and keeps captions', () => {
    const { html } = fixture;
    expect(html).toContain('Hello from the listing');
    // rustdoc_include of an anchor: the lines around it are hidden, so the block starts at `fn main`.
    expect(html).toMatch(/<pre><code class="hljs language-rust"><span class="hljs-keyword">fn<\/span> <span class="hljs-title function_">main<\/span>/);
    expect(html).toContain('<code>use std::io; // ANCHOR: main</code>');
    expect(html).not.toMatch(/setup\(\)|hidden_module/);
    expect(html.match(/class="hljs language-rust"/g)).toHaveLength(5);
    expect(html).toContain('# not hidden');
    expect(html).toContain('<span class="caption">');
    expect(html).toContain('<div class="warning">');
    expect(html).not.toContain('{{#');
  });

  it('resolves links written as .md and as mdBook’s .html pages, README.md as index.html', () => {
    const targets = internalTargets(fixture.book);
    expect([...targets.keys()].sort()).toEqual([
      'a-figure',
      'ch-guide-pictures',
      'ch-guide-readme',
      'ch-guide-setup',
      'ch-intro',
      'hidden-lines',
      'installing-the-tools',
    ]);
  });

  it('keeps an image’s width in every output, a percentage being of the text block', async () => {
    expect(fixture.html).toContain('alt="The same rings, half as wide" style="width: 50%"');
    const zip = await JSZip.loadAsync(fixture.epub);
    const xhtml = await zip.file('OEBPS/ch-guide-pictures.xhtml')?.async('string');
    expect(xhtml).toContain('style="width: 50%"');
    // Printed widths (pixels ÷ pixels per inch, whatever resolution the PDF keeps): the full text block
    // of the 5.5×8.5 in trim for the figure, half of it for the sized copy.
    const blockIn = textBlock(pageGeometry(fixture.book)).widthPt / 72;
    // (The PDF resamples images to whole pixels at its resolution, so allow a pixel's worth.)
    const shares = printedImageWidthsIn(fixture.pdf).map((w) => w / blockIn);
    expect(shares).toHaveLength(2);
    expect(shares[0]).toBeCloseTo(1, 1);
    expect(shares[1]).toBeCloseTo(0.5, 1);
  });

  it('passes EPUBCheck', async () => {
    const check = await javaEpubcheck(fixture.epub, 'mdbook-fixture');
    expect(check.messages).toEqual([]);
  }, 180_000);

  it('refuses to freeze an edition without a book.yaml to record it in, before writing anything', async () => {
    await expect(freezeEdition({ input: FIXTURE, version: '1.0', env: {} })).rejects.toMatchObject({ diagnostics: [{ code: 'edition/no-book-yaml' }] });
    expect(fs.existsSync(path.join(FIXTURE, 'editions'))).toBe(false);
  });
});
