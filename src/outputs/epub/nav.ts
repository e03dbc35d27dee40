/**
 * Navigation: the EPUB 3 navigation document (nested table of contents h1–h3, landmarks) and the NCX
 * that EPUB 2 reading systems and older e-ink devices still use. Both are built from the model's TOC
 * tree, so they always agree.
 */
import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { Element as XastElement } from 'xast';
import { x } from 'xastscript';
import type { TocEntry } from '../../model/book.ts';
import { indentXml, xmlDocument } from './xml.ts';

export interface NavPoint {
  title: string;
  href: string;
  /** Only for landmarks. */
  epubType?: string;
  children: NavPoint[];
}

/**
 * TOC entries → link targets. The first entry of a chapter points at its file (readers open the
 * chapter at the top, above any epigraph); the others at their heading.
 */
export function navPoints(entries: TocEntry[], fileOf: (chapterId: string) => string, fileOfId?: (id: string) => string | undefined): NavPoint[] {
  const seen = new Set<string>();
  const convert = (list: TocEntry[]): NavPoint[] =>
    list.map((e) => {
      const first = !seen.has(e.chapterId);
      seen.add(e.chapterId);
      // A heading of a split chapter may be in a later file of it (split.ts).
      const file = fileOfId?.(e.id) ?? fileOf(e.chapterId);
      return { title: e.title, href: first ? fileOf(e.chapterId) : `${file}#${e.id}`, children: convert(e.children) };
    });
  return convert(entries);
}

export interface Landmark {
  type: 'cover' | 'toc' | 'bodymatter' | 'titlepage' | 'copyright-page';
  title: string;
  href: string;
}

function navList(points: NavPoint[], depth: number): Element {
  const indent = `\n${'  '.repeat(depth)}`;
  return h(
    'ol',
    points.flatMap((p): ElementContent[] => [
      { type: 'text', value: `${indent}  ` },
      h('li', [h('a', { href: p.href, 'epub:type': p.epubType }, p.title), ...(p.children.length > 0 ? [navList(p.children, depth + 2)] : [])]),
    ]),
    { type: 'text', value: indent },
  );
}

/**
 * Body of nav.xhtml. The landmarks and page-list navs are hidden: they are for the reading system
 * (its "go to page" and its landmarks menu), not part of the visible contents.
 */
export function navBody(
  points: NavPoint[],
  landmarks: Landmark[],
  words: { contents: string; landmarks: string; pages?: string },
  pageList: NavPoint[] = [],
): ElementContent[] {
  // Landmark links carry their epub:type on the <a>, as the EPUB spec requires.
  const landmarkPoints = landmarks.map((l): NavPoint => ({ title: l.title, href: l.href, epubType: l.type, children: [] }));
  return [
    h('nav', { 'epub:type': 'toc', id: 'toc', role: 'doc-toc', ariaLabelledBy: 'toc-heading' }, [
      h('h1', { id: 'toc-heading' }, words.contents),
      navList(points, 1),
    ]),
    { type: 'text', value: '\n' },
    h('nav', { 'epub:type': 'landmarks', id: 'landmarks', hidden: true, ariaLabel: words.landmarks }, [navList(landmarkPoints, 1)]),
    ...(pageList.length > 0
      ? [
          { type: 'text' as const, value: '\n' },
          h('nav', { 'epub:type': 'page-list', id: 'page-list', hidden: true, ariaLabel: words.pages }, [navList(pageList, 1)]),
        ]
      : []),
  ];
}

/**
 * toc.ncx: the EPUB 2 table of contents, nested like the nav, with a document-order playOrder, and
 * the printed pages as its pageList for EPUB 2 readers' "go to page".
 */
export function ncx(points: NavPoint[], identifier: string, title: string, pageList: NavPoint[] = [], pagesWord = 'Pages'): string {
  let order = 0;
  let maxDepth = 1;
  const navPoint = (p: NavPoint, depth: number): XastElement => {
    maxDepth = Math.max(maxDepth, depth);
    order++;
    return x('navPoint', { id: `navpoint-${order}`, playOrder: String(order) }, [
      x('navLabel', [x('text', p.title)]),
      x('content', { src: p.href }),
      ...p.children.map((c) => navPoint(c, depth + 1)),
    ]);
  };
  const map = points.map((p) => navPoint(p, 1));
  const numbers = pageList.map((p) => Number(p.title)).filter((n) => Number.isInteger(n));
  const pages = pageList.map((p, i) => {
    order++;
    const front = !/^\d+$/.test(p.title);
    return x('pageTarget', { id: `page-target-${i + 1}`, type: front ? 'front' : 'normal', ...(front ? {} : { value: p.title }), playOrder: String(order) }, [
      x('navLabel', [x('text', p.title)]),
      x('content', { src: p.href }),
    ]);
  });
  const root = x('ncx', { xmlns: 'http://www.daisy.org/z3986/2005/ncx/', version: '2005-1' }, [
    x('head', [
      x('meta', { name: 'dtb:uid', content: identifier }),
      x('meta', { name: 'dtb:depth', content: String(maxDepth) }),
      x('meta', { name: 'dtb:totalPageCount', content: String(pageList.length) }),
      x('meta', { name: 'dtb:maxPageNumber', content: String(numbers.length > 0 ? Math.max(...numbers) : 0) }),
    ]),
    x('docTitle', [x('text', title)]),
    x('navMap', map),
    ...(pages.length > 0 ? [x('pageList', [x('navLabel', [x('text', pagesWord)]), ...pages])] : []),
  ]);
  return xmlDocument(indentXml(root));
}
