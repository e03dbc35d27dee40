import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Book, buildBook, ColophonError, type Diagnostic, loadManuscript } from '../src/index.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { html as htmlOutput } from '../src/outputs/html.ts';
import { pageGeometry } from '../src/outputs/pdf/page-css.ts';
import { printDocument } from '../src/outputs/pdf/print-html.ts';
import { cacheStats, resetCacheStats } from '../src/pipeline/chapters.ts';
import { readEntries } from './helpers/epub.ts';
import { cleanupTempBooks, PNG_1x1, tempBook } from './helpers/temp-book.ts';

afterAll(cleanupTempBooks);

function bookOf(chapters: Record<string, string | Buffer>, yaml = 'title: T\n'): Promise<Book> {
  return buildBook(loadManuscript(tempBook({ 'book.yaml': yaml, ...chapters })));
}

const html = toHtml;
const chapterHtml = (book: Book, index = 0) => html(book.chapters[index]?.hast as Root);

async function errorsOf(fn: () => Promise<unknown>): Promise<Diagnostic[]> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ColophonError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected the build to fail');
}

describe('smart punctuation', () => {
  it('curls quotes, and makes en and em dashes and ellipses', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': `"Hello," she said -- it's 1990--2000---and so on...` }));
    expect(out).toContain('<p>“Hello,” she said – it’s 1990–2000—and so on…</p>');
  });

  it.each([
    ['de', '„Ja“, sagte er, ‚gut‘.'],
    // French also gets its narrow no-break spaces inside « » (spacing.ts).
    ['fr', '«\u202fOui\u202f», dit-il, ‹bien›.'],
    ['ru', '«Да», сказал он, „хорошо“.'],
  ])('follows the language (%s)', async (language, expected) => {
    const source = { de: `"Ja", sagte er, 'gut'.`, fr: `"Oui", dit-il, 'bien'.`, ru: `"Да", сказал он, 'хорошо'.` }[language] as string;
    expect(chapterHtml(await bookOf({ 'a.md': source }, `title: T\nlanguage: ${language}\n`))).toContain(expected);
  });

  it('leaves code alone', async () => {
    expect(chapterHtml(await bookOf({ 'a.md': 'Use `"--"` here.' }))).toContain('<code>"--"</code>');
  });
});

describe('hyphenation', () => {
  const printHtml = (book: Book) => printDocument(book, { blanksBefore: new Set() }, pageGeometry(book)).html;

  it('puts soft hyphens in the print document only, body and notes, never in the model or the e-book and web text', async () => {
    const book = await bookOf({ 'a.md': 'Typesetting internationalisation.[^1]\n\n[^1]: Typesetting footnotes.' });
    expect(JSON.stringify(book.chapters)).not.toContain('\u00ad');
    const print = printHtml(book);
    expect(print).toContain('Type\u00adset\u00adting in\u00adter\u00adna\u00adtion\u00adal\u00adi\u00adsa\u00adtion.');
    expect(print).toContain('Type\u00adset\u00adting foot\u00adnotes.');
    const web = Buffer.from(await htmlOutput.render(book, { log: () => {}, warn: () => {} })).toString('utf8');
    expect(web).not.toContain('\u00ad');
    expect(web).toMatch(/body \{[^}]*hyphens: auto/);
    const epub = await readEntries(await renderEpub(book));
    expect([...epub.values()].join('')).not.toContain('\u00ad');
    expect(epub.get('OEBPS/style.css')).toMatch(/body \{[^}]*-epub-hyphens: auto; -webkit-hyphens: auto; hyphens: auto;/);
    expect(epub.get('OEBPS/ch-a.xhtml')).toContain('lang="en" xml:lang="en"');
  });

  it('skips headings, code, URLs and e-mail addresses in print', async () => {
    const print = printHtml(
      await bookOf({ 'a.md': '# Typesetting\n\n`typesetting` https://example.org/typesetting someone@typesetting.example\n\n```\ntypesetting\n```\n' }),
    );
    expect(print).not.toMatch(/Type\u00adset/);
    expect(print).not.toMatch(/type\u00adset/);
  });

  it('can be switched off: no soft hyphens in print, and readers are asked not to hyphenate', async () => {
    const book = await bookOf({ 'a.md': 'Typesetting.' }, 'title: T\nhyphenate: false\n');
    expect(printHtml(book)).not.toContain('\u00ad');
    const web = Buffer.from(await htmlOutput.render(book, { log: () => {}, warn: () => {} })).toString('utf8');
    expect(web).toContain('body { -epub-hyphens: manual; -webkit-hyphens: manual; hyphens: manual; }');
  });
});

describe('containers and breaks', () => {
  it('turns directives into book containers and *** into a scene break', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': ':::epigraph\nWords.\n:::\n\n:::aside\nAside.\n:::\n\n:::poem\nline one\nline two\n:::\n\n***\n\nAfter.' }));
    expect(out).toContain('<blockquote class="epigraph"><p>Words.</p></blockquote>');
    expect(out).toContain('<aside class="aside"><p>Aside.</p></aside>');
    expect(out).toContain('<div class="poem"><p>line one<br>\nline two</p></div>');
    expect(out).toContain('<hr class="scene-break">');
  });

  it('keeps colons in running text as written', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': 'The ratio a:b is 3:2, see note:here[x].' }));
    expect(out).toContain('<p>The ratio a:b is 3:2, see note:here[x].</p>');
  });

  it('warns about an unknown container', async () => {
    const book = await bookOf({ 'a.md': ':::sidebar\nX\n:::' });
    expect(book.diagnostics).toMatchObject([{ code: 'markdown/unknown-container', location: { line: 1, column: 1 } }]);
    expect(chapterHtml(book)).toContain('<div class="sidebar">');
  });
});

describe('GFM, math and code', () => {
  it('renders tables without obsolete attributes, task lists, strikethrough and autolinks', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': '| a | b |\n|--:|:-:|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ www.example.org' }));
    expect(out).toContain('<th style="text-align: right">a</th>');
    expect(out).not.toContain('align=');
    expect(out).toContain('<input type="checkbox" checked disabled>');
    expect(out).toContain('<del>old</del>');
    expect(out).toContain('<a href="http://www.example.org">www.example.org</a>');
  });

  it('renders math as MathML', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': 'Inline $x^2$ and\n\n$$\n\\frac{1}{2}\n$$\n' }));
    expect(out).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><msup><mi>x</mi><mn>2</mn></msup>');
    expect(out).toContain('display="block"');
    expect(out).not.toContain('katex-html');
  });

  it("keeps prices as text, by Pandoc's dollar rules", async () => {
    const book = await bookOf({ 'a.md': 'Boards: $8.03. In all: $23.44 - $14.72-1/2, and $x^2$ too.' });
    const out = chapterHtml(book);
    expect(out).toContain('Boards: $8.03. In all: $23.44 - $14.72-1/2, and <span class="katex"><math');
    expect(out.match(/<math/g)).toHaveLength(1);
  });

  it('reads no math at all with math: off', async () => {
    const book = await bookOf({ 'a.md': 'Inline $x^2$ and\n\n$$\n\\frac{1}{2}\n$$\n' }, 'title: T\nmath: off\n');
    const out = chapterHtml(book);
    expect(out).not.toContain('<math');
    expect(out).toContain('<p>Inline $x^2$ and</p>');
    expect(out).toContain('$$\n\\frac{1}{2}\n$$');
  });

  it('highlights fenced code with a language', async () => {
    const out = chapterHtml(await bookOf({ 'a.md': '```js\nconst x = 1;\n```' }));
    expect(out).toContain('<span class="hljs-keyword">const</span>');
  });
});

describe('figures and images', () => {
  it('makes a lone image a figure captioned by its title, else its alt text', async () => {
    const book = await bookOf({ 'a.md': '![Alt text](i.png "The caption")\n\n![Only alt](i.png)\n\nInline ![x](i.png) image.', 'i.png': PNG_1x1 });
    const out = chapterHtml(book);
    const href = book.assets[0]?.href as string;
    expect(href).toMatch(/^images\/i-[0-9a-f]{10}\.png$/);
    expect(out).toContain(`<figure><img src="${href}" alt="Alt text"><figcaption>The caption</figcaption></figure>`);
    expect(out).toContain(`<figure><img src="${href}" alt="Only alt"><figcaption>Only alt</figcaption></figure>`);
    expect(out).toContain(`<p>Inline <img src="${href}" alt="x"> image.</p>`);
    expect(book.assets.filter((a) => a.kind === 'image')).toHaveLength(1);
  });

  it('warns about an image without alt text', async () => {
    const book = await bookOf({ 'a.md': 'Text\n\n![](i.png)', 'i.png': PNG_1x1 });
    expect(book.diagnostics).toMatchObject([{ code: 'image/no-alt', location: { line: 3, column: 1 } }]);
  });

  it.each([
    ['![x](missing.png)', {}, 'image/missing'],
    ['![x](../../../etc/passwd.png)', {}, 'image/outside'],
    ['![x](https://example.org/a.png)', {}, 'image/remote'],
    ['![x](bad.png)', { 'bad.png': 'not an image' }, 'image/corrupt'],
    ['![x](doc.pdf)', { 'doc.pdf': '%PDF-1.4' }, 'image/unsupported'],
  ])('fails on %s', async (markdown, extra, code) => {
    const errors = await errorsOf(() => bookOf({ 'a.md': `Intro.\n\n${markdown}`, ...extra }));
    expect(errors).toMatchObject([{ code, location: { line: 3, column: 1 } }]);
  });
});

describe('links and ids', () => {
  it('resolves links between chapter files to in-book anchors', async () => {
    const book = await bookOf({ '1.md': '# One\n\nSee [two](2.md#part-b) and [the chapter](2.md).', '2.md': '# Two\n\n## Part B' });
    expect(chapterHtml(book, 0)).toContain('<a href="#part-b">two</a> and <a href="#ch-2">the chapter</a>');
    expect(book.anchors).toMatchObject({ 'part-b': 'ch-2', one: 'ch-1' });
  });

  it("makes heading ids unique across the book and keeps each chapter's own links right", async () => {
    const book = await bookOf({ '1.md': '# One\n\n## Notes\n\n[here](#notes)', '2.md': '# Two\n\n## Notes\n\n[here](#notes)' });
    expect(chapterHtml(book, 0)).toContain('<h2 id="notes">');
    expect(chapterHtml(book, 1)).toContain('<h2 id="notes-1">');
    expect(chapterHtml(book, 1)).toContain('<a href="#notes-1">here</a>');
    expect(book.toc.map((e) => e.children.map((c) => c.id))).toEqual([['notes'], ['notes-1']]);
  });

  it('fails on a link to a missing anchor or chapter, naming file and line', async () => {
    const errors = await errorsOf(() => bookOf({ '1.md': '# One\n\n[a](#nowhere)\n\n[b](3.md)\n\n[c](2.md#nope)', '2.md': '# Two' }));
    expect(errors.map((e) => [e.code, e.location?.line])).toEqual([
      ['link/missing-anchor', 3],
      ['link/missing-chapter', 5],
      ['link/missing-anchor', 7],
    ]);
    expect(errors[0]?.location?.file).toMatch(/1\.md$/);
  });

  it('turns a link to # into plain text with a warning', async () => {
    const book = await bookOf({ 'a.md': 'By [Someone](#)' });
    expect(chapterHtml(book)).toContain('<p>By Someone</p>');
    expect(book.diagnostics).toMatchObject([{ code: 'link/empty', severity: 'warning', location: { line: 1, column: 4 } }]);
  });
});

describe('footnotes', () => {
  it('lifts footnotes into the model with every reference', async () => {
    const book = await bookOf({ 'a.md': '# A\n\nOne[^n] and again[^n] and[^m].\n\n[^n]: The *note*.\n[^m]: Other.' });
    const chapter = book.chapters[0];
    expect(chapter?.footnotes.map((n) => [n.id, n.label, n.refIds])).toEqual([
      ['ch-a-fn-n', '1', ['ch-a-fnref-n', 'ch-a-fnref-n-2']],
      ['ch-a-fn-m', '2', ['ch-a-fnref-m']],
    ]);
    expect(html({ type: 'root', children: chapter?.footnotes[0]?.content ?? [] }).trim()).toBe('<p>The <em>note</em>.</p>');
    expect(chapterHtml(book)).not.toContain('data-footnotes');
  });
});

describe('raw HTML', () => {
  it('keeps safe HTML, and removes presentational leftovers with a warning', async () => {
    const book = await bookOf({ 'a.md': 'Safe <abbr title="x">ABC</abbr>.\n\n<p style="color: red">Styled</p>\n\n<style>p { color: red }</style>\n' });
    const out = chapterHtml(book);
    expect(out).toContain('<abbr title="x">ABC</abbr>');
    expect(out).toContain('<p>Styled</p>');
    expect(out).not.toContain('color: red');
    expect(book.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['html/removed-attribute', 3],
      ['html/removed-element', 5],
    ]);
  });

  it('fails on active content: scripts, handlers, frames, javascript: and file: links', async () => {
    const errors = await errorsOf(() =>
      bookOf({
        'a.md':
          'Text.\n\n<script>alert(1)</script>\n\n<img src="i.png" alt="p" onerror="alert(1)">\n\n<iframe src="https://example.org"></iframe>\n\n<a href="javascript:alert(1)">j</a> <a href="file:///etc/passwd">f</a>',
        'i.png': PNG_1x1,
      }),
    );
    expect(errors.map((d) => [d.code, d.location?.line])).toEqual([
      ['html/active-content', 3],
      ['html/active-content', 5],
      ['html/active-content', 7],
      ['html/active-content', 9],
      ['html/active-content', 9],
    ]);
    expect(errors.every((d) => d.hint)).toBe(true);
  });

  it('fails on images that point at file: or data: URLs', async () => {
    const errors = await errorsOf(() =>
      bookOf({ 'a.md': 'Text.\n\n<img src="file:///etc/passwd" alt="p">\n\n<img src="data:image/png;base64,AAAA" alt="d">' }),
    );
    expect(errors.map((d) => [d.code, d.location?.line])).toEqual([
      ['html/unsafe-image', 3],
      ['html/unsafe-image', 5],
    ]);
  });
});

describe('folder manuscripts: chapters are files', () => {
  it('makes each file one top-level chapter whatever its heading level, in the model, the nav and the NCX', async () => {
    const book = await bookOf({
      '00-front.md': '# Preface\n\nWords.\n',
      '01.md': '## CHAPTER 1. Loomings\n\n### A scene\n\nText.\n',
      '02.md': '## CHAPTER 2. The Carpet-Bag\n\nText.\n',
    });
    expect(book.chapters.map((c) => c.hast.children.find((n) => n.type === 'element')).map((n) => (n as Element).tagName)).toEqual(['h1', 'h1', 'h1']);
    expect(book.toc.map((e) => [e.title, e.depth, e.children.map((c) => [c.title, c.depth])])).toEqual([
      ['Preface', 1, []],
      ['CHAPTER 1. Loomings', 1, [['A scene', 2]]],
      ['CHAPTER 2. The Carpet-Bag', 1, []],
    ]);
    const epub = await readEntries(await renderEpub(book));
    const nav = epub.get('OEBPS/toc.xhtml') as string;
    expect(nav.match(/<ol>/g)).toHaveLength(3); // contents, chapter 1's sections, landmarks
    expect(epub.get('OEBPS/toc.ncx')).toContain('<meta name="dtb:depth" content="2" />');
  });

  it('reads a title block at the top of the first file as metadata, translator too, and warns where book.yaml differs', async () => {
    const book = await bookOf(
      {
        '01.md':
          '# Title: Crime and Punishment\n\n## Author: Fyodor Dostoevsky\n\nTranslated by Constance Garnett\n\n## Year: 1866\n\n-----\n\n## PART I\n\nText.\n',
        '02.md': '## PART II\n\nMore.\n',
      },
      'title: Crime and Punishment (Garnett)\n',
    );
    expect(book.metadata.title).toBe('Crime and Punishment (Garnett)');
    expect(book.metadata.creators).toEqual([
      { name: 'Fyodor Dostoevsky', role: 'author', fileAs: 'Dostoevsky, Fyodor' },
      { name: 'Constance Garnett', role: 'translator', fileAs: 'Garnett, Constance' },
    ]);
    expect(book.metadata.date).toBe('1866');
    expect(book.toc.map((e) => e.title)).toEqual(['PART I', 'PART II']);
    expect(book.diagnostics).toMatchObject([{ code: 'manuscript/title-block-conflict', location: { line: 1 } }]);
  });
});

describe('single-file books', () => {
  it('splits at the shallowest heading level and makes chapter headings h1', async () => {
    const dir = tempBook({ 'b.md': '---\ntitle: T\n---\n\n## First\n\n### Sub\n\nText.\n\n## Second\n\nMore.\n' });
    const book = await buildBook(loadManuscript(`${dir}/b.md`));
    expect(book.chapters.map((c) => [c.id, c.title])).toEqual([
      ['ch-first', 'First'],
      ['ch-second', 'Second'],
    ]);
    expect(html(book.chapters[0]?.hast as Root)).toContain('<h1 id="first">First</h1>\n<h2 id="sub">Sub</h2>');
  });

  it('does not split at "#" lines inside fenced code, and shares definitions across chapters', async () => {
    const dir = tempBook({
      'b.md':
        '---\ntitle: T\n---\n\n# One\n\n```sh\n# not a chapter\n```\n\nSee [ref] and a note.[^n]\n\n# Two\n\nAgain [ref].[^n]\n\n[ref]: https://example.org/\n[^n]: Shared\n    note.\n',
    });
    const book = await buildBook(loadManuscript(`${dir}/b.md`));
    expect(book.chapters.map((c) => c.title)).toEqual(['One', 'Two']);
    expect(html(book.chapters[0]?.hast as Root)).toContain('# not a chapter');
    for (const chapter of book.chapters) {
      expect(html(chapter.hast as Root)).toContain('<a href="https://example.org/">ref</a>');
      expect(chapter.footnotes.map((n) => html({ type: 'root', children: n.content }).trim())).toEqual(['<p>Shared\nnote.</p>']);
    }
    expect(book.chapters.map((c) => c.footnotes[0]?.id)).toEqual(['ch-one-fn-n', 'ch-two-fn-n']);
  });

  it('keeps text before the first chapter heading as an untitled chapter, with a warning at its line', async () => {
    const dir = tempBook({ 'b.md': '---\ntitle: T\n---\n\nA preface nobody titled.\n\n## First\n\nText.\n' });
    const book = await buildBook(loadManuscript(`${dir}/b.md`));
    expect(book.chapters.map((c) => c.id)).toEqual(['ch-part-1', 'ch-first']);
    expect(html(book.chapters[0]?.hast as Root)).toContain('A preface nobody titled.');
    expect(book.diagnostics).toMatchObject([{ code: 'manuscript/untitled-chapter', severity: 'warning', location: { line: 5, column: 1 } }]);
  });

  it('reports positions in the original file', async () => {
    const dir = tempBook({ 'b.md': '---\ntitle: T\n---\n\n## First\n\nText.\n\n## Second\n\n[x](#)\n' });
    expect((await buildBook(loadManuscript(`${dir}/b.md`))).diagnostics).toMatchObject([{ code: 'link/empty', location: { line: 11, column: 1 } }]);
  });
});

describe('chapter cache', () => {
  beforeEach(resetCacheStats);

  it('reparses only the chapter that changed', async () => {
    const files = { '1.md': '# One\n\nText one.', '2.md': '# Two\n\nText two.', '3.md': '# Three\n\nText three.' };
    const dir = tempBook({ 'book.yaml': 'title: Cache\n', ...files });
    await buildBook(loadManuscript(dir));
    resetCacheStats();
    const again = await buildBook(loadManuscript(dir));
    expect(cacheStats()).toEqual({ hits: 3, misses: 0 });
    expect(chapterHtml(again, 1)).toContain('Text two.');
    tempBookWrite(dir, '2.md', '# Two\n\nEdited.');
    resetCacheStats();
    const edited = await buildBook(loadManuscript(dir));
    expect(cacheStats()).toEqual({ hits: 2, misses: 1 });
    expect(chapterHtml(edited, 1)).toContain('Edited.');
  });
});

import fs from 'node:fs';
import path from 'node:path';

function tempBookWrite(dir: string, name: string, text: string) {
  fs.writeFileSync(path.join(dir, name), text);
}

describe('limits on hostile input', () => {
  it.each([
    ['10,000 nested blockquotes', `# Deep\n\n${'>'.repeat(10_000)} deep\n`, 3],
    ['a list nested 10,000 deep', `# Deep\n\n${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')}\n`, undefined],
    ['raw HTML nested 10,000 deep', `# Deep\n\n${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}\n`, undefined],
  ])('refuses %s with a clear error instead of overflowing the stack', async (_name, text, line) => {
    const errors = await errorsOf(() => bookOf({ 'a.md': text }));
    expect(errors).toMatchObject([{ code: 'manuscript/too-deep' }]);
    if (line) expect(errors[0]?.location?.line).toBe(line);
  });

  it('still builds ordinary nesting', async () => {
    const book = await bookOf({ 'a.md': `${'> '.repeat(20)}quoted\n\n${'<div>'.repeat(100)}x${'</div>'.repeat(100)}\n` });
    expect(chapterHtml(book)).toContain('quoted');
  });

  it('handles 10,000 headings', async () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `## Section ${i}\n\nText ${i}.\n`).join('\n');
    const book = await bookOf({ 'a.md': `# Many\n\n${text}` });
    expect(book.toc[0]?.children).toHaveLength(10_000);
    expect(new Set(Object.keys(book.anchors)).size).toBe(Object.keys(book.anchors).length);
  });
});

describe('SVG images', () => {
  const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`;
  it.each([
    ['<script>alert(1)</script>', /a <script>/],
    ['<rect width="1" height="1" onclick="x()"/>', /event handler/],
    ['<image href="https://example.org/x.png"/>', /reference to another file or the network/],
    ['<image xlink:href="../../etc/passwd"/>', /reference to another file or the network/],
    ['<foreignObject><p>hi</p></foreignObject>', /foreignObject/],
  ])('refuses an SVG with %s', async (body, message) => {
    const errors = await errorsOf(() => bookOf({ 'a.md': 'Text.\n\n![d](d.svg)', 'd.svg': svg(body) }));
    expect(errors).toMatchObject([{ code: 'image/unsafe-svg', location: { line: 3 } }]);
    expect(errors[0]?.message).toMatch(message);
  });

  it('refuses a DOCTYPE with an internal subset, and says so', async () => {
    const errors = await errorsOf(() => bookOf({ 'a.md': '![d](d.svg)', 'd.svg': `<!DOCTYPE svg [<!ENTITY e "x">]>\n${svg('<rect/>')}` }));
    expect(errors).toMatchObject([
      { code: 'image/unsafe-svg', message: '"d.svg" is not a valid SVG image: its DOCTYPE has an internal subset ([…]), where entities are declared' },
    ]);
  });

  it('names what is wrong with an SVG that is not one', async () => {
    const errors = await errorsOf(() => bookOf({ 'a.md': '![d](d.svg)', 'd.svg': '<html><body>no</body></html>' }));
    expect(errors).toMatchObject([
      {
        code: 'image/corrupt',
        message: '"d.svg" is not a valid SVG image: it does not start with an <svg> element (line 1 starts "<html><body>no</body></html>")',
      },
    ]);
  });

  it('accepts a plain SVG and warns when it has text', async () => {
    expect((await bookOf({ 'a.md': '![d](d.svg)', 'd.svg': svg('<rect width="5" height="5"/>') })).diagnostics).toEqual([]);
    expect((await bookOf({ 'a.md': '![d](d.svg)', 'd.svg': svg('<text x="1" y="5">Hi</text>') })).diagnostics).toMatchObject([{ code: 'image/svg-text' }]);
  });
});
