/**
 * Pandoc projects build as they are: test/fixtures/pandoc-book (a metadata.yaml and chapter files)
 * uses each Pandoc feature Colophon reads: its metadata keys, fenced divs (attribute and word forms,
 * nested), bracketed spans, heading attributes (`.unlisted` too), image and code attributes, and the
 * two ways of forcing a page break. The same book builds from a Pandoc-style command line.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.ts';
import type { Book } from '../src/model/book.ts';
import { pageGeometry, textBlock } from '../src/outputs/pdf/page-css.ts';
import { runCli } from './helpers/cli.ts';
import { javaEpubcheck } from './helpers/epub.ts';
import { pageTexts } from './helpers/pdf.ts';
import { cleanupTempBooks, tempBook } from './helpers/temp-book.ts';

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures/pandoc-book');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'colophon-pandoc-'));
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  cleanupTempBooks();
});

let book: Book;
let html: string;
let epub: Uint8Array;
let pdf: string;
beforeAll(async () => {
  const result = await build({ input: FIXTURE, outDir: path.join(out, 'folder'), env: {} });
  const file = (format: string) => result.files.find((f) => f.format === format)?.path as string;
  book = result.book;
  html = fs.readFileSync(file('html'), 'utf8');
  epub = fs.readFileSync(file('epub'));
  pdf = file('pdf');
}, 600_000);

describe('a Pandoc project (metadata.yaml and chapter files)', () => {
  it("maps Pandoc's metadata keys onto the book's, and names the keys it does not use", () => {
    expect(book.metadata).toMatchObject({
      title: 'A Pandoc Book',
      subtitle: 'Every Extension in One Place',
      language: 'en-GB',
      date: '2021-03',
      rights: '© 2021 Ann Author. All rights reserved.',
      identifier: { kind: 'isbn', value: '9783161484100' },
      publisher: 'Small Press',
      description: 'A fixture that uses each Pandoc feature Colophon reads.',
      subjects: ['Testing', 'Pandoc'],
    });
    expect(book.metadata.creators).toEqual([
      { name: 'Ann Author', role: 'author', fileAs: 'Author, Ann' },
      { name: 'Bo Editor', role: 'editor', fileAs: 'Editor, Bo' },
    ]);
    expect(book.cover?.sourcePath).toBe(path.join(FIXTURE, 'images/cover.png'));
    expect(book.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([
      ['note', 'pandoc/ignored-metadata', 'Pandoc metadata not used by Colophon: toc, geometry'],
    ]);
  });

  it('reads fenced divs, bracketed spans, heading, image and code attributes', () => {
    expect(html).toContain('<h1 id="opening" class="unnumbered">Opening</h1>');
    expect(html).toMatch(/<blockquote class="epigraph"><p>Every book begins somewhere\.<\/p><\/blockquote>/);
    expect(html).toContain('<aside class="note">');
    expect(html).toMatch(/<div class="Warning" id="warn"><p>.*<\/p><div class="poem"><p>Nested verse,<br>\none line each\.<\/p><\/div><\/div>/);
    expect(html).toMatch(/<span class="smallcaps">small capitals<\/span> and <span lang="fr">French words<\/span>/);
    expect(html).toContain('alt="Rings at sixty per cent" style="width: 60%"');
    expect(html).toContain('<code class="hljs language-python">');
    expect(html).toContain('<code class="python">x = 1</code>');
    expect(html).not.toMatch(/\{[.#]|\\newpage|page-break-before/);
    // `.unlisted` keeps the quiet section out of the contents; links to it still work.
    expect(book.toc.map((e) => [e.title, e.children.map((c) => c.title)])).toEqual([
      ['Opening', []],
      ['The Second Chapter', []],
    ]);
    expect(html).toContain('<a href="#quiet">');
  });

  it('breaks the page in print at \\newpage and at a page-break style, and nowhere else', () => {
    const pages = pageTexts(pdf);
    const start = (text: string) => pages.findIndex((p) => p.includes(text));
    const figure = start('Rings at sixty per cent');
    expect(start('After the forced break')).toBe(figure + 1);
    expect(start('After the second break')).toBe(figure + 2);
    // The EPUB and the web edition have no pages: the break is an empty element print.css alone styles.
    expect(html.match(/<div class="page-break"><\/div>/g)).toHaveLength(2);
  });

  it('prints the image at 60% of the text block', () => {
    const blockIn = textBlock(pageGeometry(book)).widthPt / 72;
    const widths = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[2] === 'image')
      .map((cols) => Number(cols[3]) / Number(cols[12]));
    // The PDF resamples images to whole pixels at its resolution: allow a pixel's worth.
    expect(widths).toHaveLength(1);
    expect((widths[0] as number) / blockIn).toBeCloseTo(0.6, 1);
  });

  it('passes EPUBCheck, with the image width kept', async () => {
    const zip = await JSZip.loadAsync(epub);
    expect(await zip.file('OEBPS/ch-01-opening.xhtml')?.async('string')).toContain('style="width: 60%"');
    expect((await javaEpubcheck(epub, 'pandoc-fixture')).messages).toEqual([]);
  }, 180_000);

  it('builds the same book from a Pandoc command line: --metadata FILE and the chapters', async () => {
    const dist = path.join(out, 'cli');
    const r = await runCli(
      'build',
      '--metadata',
      path.join(FIXTURE, 'metadata.yaml'),
      path.join(FIXTURE, '01-opening.md'),
      path.join(FIXTURE, '02-second.md'),
      '-o',
      dist,
      '-t',
      'html',
    );
    expect(r.code, r.err).toBe(0);
    // Without the PDF in the same run the web edition has no print page markers; the rest is the same.
    const withoutPageMarkers = html.replace(/<span id="page-[^"]+" role="doc-pagebreak"[^>]*><\/span>/g, '');
    expect(withoutPageMarkers).not.toBe(html);
    expect(fs.readFileSync(path.join(dist, 'a-pandoc-book.html'), 'utf8')).toBe(withoutPageMarkers);
    const usage = await runCli('build', '--metadata', path.join(FIXTURE, 'metadata.yaml'), '-o', dist);
    expect(usage.code).toBe(2);
  });

  it("takes the metadata from the first chapter's front matter when there is no metadata file", async () => {
    const dir = tempBook({
      'a.md': '---\ntitle: Front Matter Book\nauthor: [Ann Author]\nlang: de\ndate: 15 March 2020\nheader-includes: x\n---\n\n# Eins\n\nText.\n',
      'b.md': '# Zwei\n\nMehr.\n',
    });
    const result = await build({ input: dir, outDir: path.join(dir, 'dist'), formats: ['html'], env: {} });
    expect(result.book.metadata).toMatchObject({ title: 'Front Matter Book', language: 'de', date: '2020-03-15' });
    expect(result.book.chapters.map((c) => c.title)).toEqual(['Eins', 'Zwei']);
    expect(result.book.diagnostics).toMatchObject([{ code: 'pandoc/ignored-metadata', location: { file: path.join(dir, 'a.md'), line: 6 } }]);
  });

  it('reports a wrong value in Pandoc metadata at its line', async () => {
    const dir = tempBook({ 'metadata.yaml': 'title: T\nlang: not a language!\n', 'a.md': '# A\n' });
    await expect(build({ input: dir, outDir: path.join(dir, 'dist'), formats: ['html'], env: {} })).rejects.toMatchObject({
      diagnostics: [{ code: 'config/invalid-value', location: { file: path.join(dir, 'metadata.yaml'), line: 2 } }],
    });
  });
});
