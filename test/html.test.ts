/**
 * The web edition. Snapshots hold each chapter as readable HTML (assets by model href, soft hyphens
 * left out: hyphenation has its own tests), one file per chapter, so a diff points at one chapter.
 */
import fs from 'node:fs';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';
import { beforeAll, describe, expect, it } from 'vitest';
import { fontStackCss } from '../src/fonts/css.ts';
import { type Book, buildBook, loadManuscript } from '../src/index.ts';
import { html, webDocument } from '../src/outputs/html.ts';
import { FIXTURE_BOOK, SAMPLE_BOOK } from './helpers/temp-book.ts';

const readable = (node: Root | Element) => `${toHtml(node)}\n`;

for (const [name, dir] of [
  ['sample', SAMPLE_BOOK],
  ['fixture', FIXTURE_BOOK],
] as const) {
  describe(`web edition of the ${name} book`, () => {
    let book: Book;
    let doc: Root;
    let file: string;
    beforeAll(async () => {
      book = await buildBook(loadManuscript(dir));
      doc = webDocument(book, { inlineAssets: false });
      file = Buffer.from(await html.render(book, { log: () => {}, warn: () => {} })).toString('utf8');
    });

    it('matches the reviewed snapshot, chapter by chapter', async () => {
      const [header, nav, main, footer] = ['header', 'nav', 'main', 'footer'].map((tag) => selectAll(tag, doc)[0] as Element);
      await expect(readable(header as Element) + readable(nav as Element)).toMatchFileSnapshot(`__snapshots__/html/${name}/00-front.html`);
      const sections = (main as Element).children.filter((c): c is Element => c.type === 'element');
      expect(sections.map((s) => s.properties.id)).toEqual(book.chapters.map((c) => c.id));
      for (const [i, section] of sections.entries()) {
        await expect(readable(section)).toMatchFileSnapshot(`__snapshots__/html/${name}/${String(i + 1).padStart(2, '0')}-${section.properties.id}.html`);
      }
      await expect(readable(footer as Element)).toMatchFileSnapshot(`__snapshots__/html/${name}/99-back.html`);
    });

    it('is one self-contained file: every resource inlined, nothing fetched', () => {
      const parsed = fromHtml(file);
      const sources = selectAll('[src]', parsed).map((e) => String(e.properties.src));
      expect(sources.every((s) => s.startsWith('data:image/'))).toBe(true);
      expect(selectAll('link, script, iframe', parsed)).toEqual([]);
      const style = toHtml(selectAll('style', parsed)[0] as Element);
      const urls = [...style.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1] as string);
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.every((u) => u.startsWith('data:font/woff2;base64,'))).toBe(true);
    });

    it('declares language, title and generator', () => {
      const parsed = fromHtml(file);
      const htmlEl = selectAll('html', parsed)[0] as Element;
      expect(htmlEl.properties.lang).toBe(book.metadata.language);
      expect(toHtml(selectAll('title', parsed)[0] as Element)).toBe(`<title>${book.metadata.title}</title>`);
      expect(file).toContain('<meta name="generator" content="Colophon">');
    });

    it('every internal link lands on an element of the page', () => {
      const parsed = fromHtml(file);
      const ids = new Set(selectAll('[id]', parsed).map((e) => String(e.properties.id)));
      const internal = selectAll('a[href^="#"]', parsed).map((a) => String(a.properties.href).slice(1));
      expect(internal.length).toBeGreaterThan(0);
      expect(internal.filter((id) => !ids.has(id))).toEqual([]);
      expect(ids.size).toBe(selectAll('[id]', parsed).length);
    });
  });
}

describe('fonts', () => {
  it('embeds only the subsets a book needs: Latin for the sample, Greek and Cyrillic for the fixture', async () => {
    const faces = async (dir: string) => {
      const text = Buffer.from(await html.render(await buildBook(loadManuscript(dir)), { log: () => {}, warn: () => {} })).toString('utf8');
      return new Set([...text.matchAll(/unicode-range: U\+(\w+)/g)].map((m) => m[1]));
    };
    const sample = await faces(SAMPLE_BOOK);
    const fixture = await faces(FIXTURE_BOOK);
    expect(sample.has('0370')).toBe(false); // Greek
    expect(fixture.has('0370')).toBe(true);
    expect(fixture.has('0301')).toBe(true); // Cyrillic
    expect(sample.has('0000')).toBe(true); // Latin
  });

  it('the web stylesheet names the shipped faces, not system fonts', () => {
    const css = fs.readFileSync(new URL('../styles/base.css', import.meta.url), 'utf8');
    expect(css).toContain('font-family: var(--text-font)');
    // The stacks themselves are generated for the book's language (fonts/stacks.ts).
    expect(fontStackCss('en', 'web')).toMatch(/--text-font: 'Source Serif 4', 'Noto Serif', .*, serif; --code-font: 'JetBrains Mono', 'Fira Code', /);
  });
});
