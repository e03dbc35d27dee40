/** Print page markers in the reflowable editions, without a browser: input tree → tree with markers. */
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { pageIds, placePages, withPageBreaks } from '../../src/outputs/page-breaks.ts';

const chapter = (): Root => ({
  type: 'root',
  children: [h('h1', 'Chapter 1'), h('p', ['It is a truth ', h('em', 'universally'), ' acknowledged.']), h('blockquote', [h('p', 'Quoted words here.')])],
});

describe('withPageBreaks', () => {
  it('puts a page whose start no longer resolves right after the page before it, keeping reading order', () => {
    const out = withPageBreaks(
      chapter(),
      [
        { path: [1], offset: 5, label: '7', id: 'page-7' },
        { path: [9, 9], offset: 0, label: '8', id: 'page-8' },
      ],
      true,
    );
    const ids = [...toHtml(out).matchAll(/id="(page-\d+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['page-7', 'page-8']);
    expect(toHtml(out)).toMatch(/aria-label="7" class="pagebreak"><\/span><span id="page-8"/);
  });

  it('puts each marker before the character where its page begins, across inline elements and nested blocks', () => {
    const out = withPageBreaks(
      chapter(),
      [
        { path: [1], offset: 17, label: '7', id: 'page-7' },
        { path: [2, 0], offset: 7, label: '8', id: 'page-8' },
      ],
      true,
    );
    const html = toHtml(out);
    expect(html).toContain(
      '<p>It is a truth <em>uni<span id="page-7" epub:type="pagebreak" role="doc-pagebreak" aria-label="7" class="pagebreak"></span>versally</em> acknowledged.</p>',
    );
    expect(html).toContain('<p>Quoted <span id="page-8" epub:type="pagebreak" role="doc-pagebreak" aria-label="8" class="pagebreak"></span>words here.</p>');
  });

  it('handles several pages in one block, the block start, and leaves the input untouched', () => {
    const input = chapter();
    const out = withPageBreaks(
      input,
      [
        { path: [0], offset: 0, label: 'iv', id: 'page-iv' },
        { path: [1], offset: 3, label: '1', id: 'page-1' },
        { path: [1], offset: 6, label: '2', id: 'page-2' },
      ],
      false,
    );
    const html = toHtml(out);
    expect(html).toContain('<h1><span id="page-iv" role="doc-pagebreak" aria-label="iv" class="pagebreak"></span>Chapter 1</h1>');
    expect(html).toMatch(/<p>It <span id="page-1"[^>]*><\/span>is <span id="page-2"[^>]*><\/span>a truth/);
    expect(toHtml(input)).not.toContain('pagebreak');
  });

  it('keeps pages at the same place in page order (a blank verso, then the opening)', () => {
    const out = withPageBreaks(
      chapter(),
      [
        { path: [0], offset: 0, label: '12', id: 'page-12' },
        { path: [0], offset: 0, label: '13', id: 'page-13' },
      ],
      true,
    );
    expect(toHtml(out)).toMatch(/<h1><span id="page-12"[^>]*><\/span><span id="page-13"[^>]*><\/span>Chapter 1/);
  });

  it('puts pages without a place at the chapter top, in page order', () => {
    const out = withPageBreaks(
      chapter(),
      [
        { path: [], offset: 0, label: 'viii', id: 'page-viii' },
        { path: [], offset: 0, label: '1', id: 'page-1' },
      ],
      true,
    );
    expect(toHtml(out)).toMatch(/^<span id="page-viii"[^>]*><\/span><span id="page-1"[^>]*><\/span><h1>/);
  });

  it('never puts a marker between list items: the page begins in the next item', () => {
    const tree: Root = { type: 'root', children: [h('ul', ['\n', h('li', 'one'), '\n', h('li', 'two'), '\n'])] };
    const out = withPageBreaks(tree, [{ path: [0], offset: 4, label: '9', id: 'page-9' }], true);
    expect(toHtml(out)).toMatch(/<li>one<\/li>\n<li><span id="page-9"[^>]*><\/span>two<\/li>/);
  });

  it('keeps the text exactly, and a lost path or offset still places the page', () => {
    const out = withPageBreaks(
      chapter(),
      [
        { path: [9, 9], offset: 0, label: '3', id: 'page-3' },
        { path: [2, 0], offset: 999, label: '4', id: 'page-4' },
      ],
      true,
    );
    const text = (r: Root) => toHtml(r).replace(/<[^>]+>/g, '');
    expect(text(out)).toBe(text(chapter()));
    expect(toHtml(out.children[0] as Root['children'][number])).toContain('id="page-3"');
    expect(toHtml(out)).toContain('Quoted words here.<span id="page-4"');
  });
});

describe('pageIds', () => {
  it('names markers after their folio, unique against the book ids and each other', () => {
    const taken = new Set(['page-12']);
    expect(pageIds(['xi', '12', '13', '13'], (id) => taken.has(id))).toEqual(['page-xi', 'page-12-2', 'page-13', 'page-13-2']);
  });
});

describe('placePages', () => {
  it('puts front-matter pages atop their documents, blank pages with the next text, and pages without a start where the last one was', () => {
    const start = (chapter: string, path: number[], offset: number) => ({ chapter, path, offset });
    const placement = placePages(
      [
        { label: 'i', blank: false, flow: 'half-title' },
        { label: 'ii', blank: true },
        { label: 'iii', blank: false, flow: 'title-page' },
        { label: 'iv', blank: false, flow: 'copyright' },
        { label: 'v', blank: false, flow: 'contents' },
        { label: 'vi', blank: true },
        { label: '1', blank: false, flow: 'a', start: start('a', [0], 0) },
        { label: '2', blank: false, flow: 'a', start: start('a', [4], 120) },
        { label: '3', blank: false, flow: 'a' },
        { label: '4', blank: true },
        { label: '5', blank: false, flow: 'b', start: start('b', [0], 0) },
      ],
      () => false,
    );
    expect(placement.all.map((p) => `${p.label}@${p.where}`)).toEqual([
      'i@front:title-page',
      'ii@front:title-page',
      'iii@front:title-page',
      'iv@front:copyright',
      'v@front:contents',
      'vi@chapter:a',
      '1@chapter:a',
      '2@chapter:a',
      '3@chapter:a',
      '4@chapter:b',
      '5@chapter:b',
    ]);
    expect(placement.chapters.get('a')?.map((p) => [p.label, p.path, p.offset])).toEqual([
      ['vi', [0], 0],
      ['1', [0], 0],
      ['2', [4], 120],
      ['3', [4], 120],
    ]);
    expect(placement.chapters.get('b')?.map((p) => p.id)).toEqual(['page-4', 'page-5']);
  });
});
