/**
 * The print document: front matter (half-title, title page, copyright page, contents), then the
 * chapters, each a section on its own named page, with blank pages and contents page numbers as the
 * pagination plan says. Fonts and images are referred to by file:// URL (the print browser may read
 * exactly those folders) unless the caller resolves them otherwise (the preview serves them).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { fontFaceCss, fontStackCss } from '../../fonts/css.ts';
import { type Hyphenate, hyphenatorFor } from '../../hyphenation/patterns.ts';
import { insertSoftHyphens } from '../../hyphenation/soft-hyphens.ts';
import type { Asset, Book, Chapter, TocEntry } from '../../model/book.ts';
import { chapterTrees, classesOf, eachElement } from '../../model/trees.ts';
import { chapterNotes, copyrightPage, label, PRODUCER, titlePage } from '../parts.ts';
import { bookCss, STYLES_DIR, themeCss } from '../theme.ts';
import { chapterPageName, type PageGeometry, pageCss } from './page-css.ts';

/** The theme's colour sheets for each `print.color` (see their comments). */
const colorSheets = { gray: ['print-press.css', 'print-gray.css'], cmyk: ['print-press.css'], rgb: [] };

/** Blocks that must open on a recto, in reading order. */
export const FRONT_BLOCKS = ['half-title', 'title-page', 'contents'] as const;

export interface PaginationPlan {
  /** Ids of recto blocks (FRONT_BLOCKS and chapter ids) preceded by an inserted blank verso. */
  blanksBefore: Set<string>;
  /** Printed page number of each contents entry, by heading id; absent while measuring. */
  tocNumbers?: Map<string, string>;
}

export interface PrintDocument {
  html: string;
  /** Folders the print browser must be allowed to read. */
  allowedRoots: string[];
}

export interface PrintDocumentOptions {
  /**
   * How the page refers to an asset (image or font file): a file:// URL for Chromium's print page,
   * which may read exactly the allowed folders; the preview server gives its own http paths.
   */
  assetUrl?: (asset: Asset) => string;
}

/** The contents list shows chapters and their sections; deeper headings would crowd it. */
export const TOC_DEPTH = 2;

/**
 * How deep the printed contents go: two levels of headings, or every level of a book whose manuscript
 * states its chapters' structure (mdBook's SUMMARY.md), which lists chapters only.
 */
export function printedTocDepth(book: Book): number {
  return book.chapters.some((c) => c.structured) ? 3 : TOC_DEPTH;
}

export function printedTocEntries(book: Book): TocEntry[] {
  const out: TocEntry[] = [];
  const depth = printedTocDepth(book);
  const walk = (entries: TocEntry[]) => {
    for (const e of entries) {
      if (e.depth > depth) continue;
      out.push(e);
      walk(e.children);
    }
  };
  walk(book.toc);
  return out;
}

/** Ids whose page the measuring pass needs: recto blocks, contents targets, note references. */
export function measuredIds(book: Book): string[] {
  return [
    ...FRONT_BLOCKS,
    ...book.chapters.map((c) => c.id),
    ...printedTocEntries(book).map((e) => e.id),
    ...book.chapters.flatMap((c) => c.footnotes.flatMap((n) => [n.id, ...n.refIds.slice(0, 1)])),
  ];
}

function tocItems(entries: TocEntry[], plan: PaginationPlan, depth: number): Element {
  return h(
    'ol',
    entries
      .filter((e) => e.depth <= depth)
      .map((e) =>
        h(`li.toc-depth-${e.depth}`, [
          h('a', { href: `#${e.id}` }, [h('span.toc-title', e.title), h('span.toc-page', plan.tocNumbers?.get(e.id) ?? '')]),
          e.depth < depth && e.children.length > 0 ? tocItems(e.children, plan, depth) : null,
        ]),
      ),
  );
}

function blankPage(beforeId: string, inFront: boolean): Element {
  return h('div.blank-page', { dataBlankFor: beforeId, style: `page: ${inFront ? 'blank-front' : 'blank'}`, ariaHidden: 'true' });
}

/**
 * Footnotes mode: every note laid out once at the note frame's width in the note style, after the
 * chapters. The pagination (pages/) measures them here and moves each to the foot of the page
 * that calls it.
 */
function noteGalley(chapters: Chapter[]): Element {
  return h(
    'div.page-notes.note-galley',
    chapters.flatMap((chapter) =>
      chapter.footnotes.map((note) => h('div.page-note', { id: note.id }, [h('span.note-label', note.label), ...structuredClone(note.content)])),
    ),
  );
}

/**
 * The chapter as print sets it: a copy with soft hyphens for the book's language (Chromium cannot
 * hyphenate by itself) and <details> as plain blocks, body and notes alike. The model's chapter is unchanged.
 */
function printCopy(chapter: Chapter, hyphenate: Hyphenate | undefined): Chapter {
  const copy: Chapter = {
    ...chapter,
    hast: structuredClone(chapter.hast),
    footnotes: chapter.footnotes.map((n) => ({ ...n, content: structuredClone(n.content) })),
  };
  for (const tree of chapterTrees(copy)) {
    if (hyphenate) insertSoftHyphens(tree, hyphenate);
    // Paper cannot be clicked open: a <details> prints as a plain block, its summary as its first line.
    // (A closed one prints only its summary; an open one cut across two pages would show Chromium's
    // default "Details" label on the second.)
    eachElement(tree, (node: Element) => {
      if (node.tagName !== 'details') return;
      node.tagName = 'div';
      node.properties = { ...node.properties, open: undefined, className: [...classesOf(node), 'details'] };
      for (const child of node.children) {
        if (child.type === 'element' && child.tagName === 'summary') {
          child.tagName = 'div';
          child.properties = { ...child.properties, className: [...classesOf(child), 'summary'] };
        }
      }
    });
  }
  return copy;
}

const fileUrl = (asset: Asset) => pathToFileURL(asset.sourcePath).href;

export function printDocument(book: Book, plan: PaginationPlan, geometry: PageGeometry, options: PrintDocumentOptions = {}): PrintDocument {
  const m = book.metadata;
  const urlOf = options.assetUrl ?? fileUrl;
  const assetUrl = new Map(book.assets.map((a) => [a.href, urlOf(a)]));
  const endnotes = m.print.notes === 'endnotes';
  const blank = (id: string, inFront: boolean) => (plan.blanksBefore.has(id) ? [blankPage(id, inFront)] : []);

  const hyphenate = m.hyphenate ? hyphenatorFor(m.language) : undefined;
  const copies = book.chapters.map((chapter) => printCopy(chapter, hyphenate));
  const chapters = copies.flatMap((chapter, i) => {
    const body = chapter.hast;
    eachElement(body, (node: Element, _index, parent) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      node.properties.src = assetUrl.get(node.properties.src) ?? node.properties.src;
      // An image inside running text is set at text size; one that is a paragraph on its own stays large.
      if (parent?.type === 'element' && parent.tagName === 'p' && hastToString(parent).trim() !== '') {
        node.properties.className = [...classesOf(node), 'inline-image'];
      }
    });
    const content = endnotes ? [...(body.children as ElementContent[]), chapterNotes(chapter, book)] : (body.children as ElementContent[]);
    return [...blank(chapter.id, i === 0), h('section.chapter', { id: chapter.id, ariaLabel: chapter.title, style: `page: ${chapterPageName(i)}` }, content)];
  });

  const measure = h(
    'nav.measure',
    { hidden: true },
    measuredIds(book).map((id) => h('a', { href: `#${id}` }, id)),
  );

  // The model already chose the font subsets the book's characters need.
  const faces = book.assets.flatMap((a) => (a.face ? [{ ...a.face, asset: a }] : []));
  const css = [
    fontFaceCss(faces, (f) => urlOf(f.asset)),
    themeCss('base.css', 'code.css', 'print.css', ...colorSheets[m.print.color]),
    fontStackCss(m.language, 'print'),
    pageCss(book, geometry),
    bookCss(book),
  ].join('\n');

  const doc: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: m.language, dir: m.direction }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', m.title), h('meta', { name: 'generator', content: PRODUCER }), h('style', css)]),
        h('body', [
          measure,
          ...blank('half-title', true),
          h('section.half-title', { id: 'half-title', style: 'page: display' }, [h('p.half-title-text', m.title)]),
          ...blank('title-page', true),
          h('section.title-leaf', { id: 'title-page', style: 'page: display' }, [titlePage(book)]),
          h('section.copyright-leaf', { id: 'copyright', style: 'page: display' }, [copyrightPage(book)]),
          ...blank('contents', true),
          h('nav.toc', { id: 'contents', style: 'page: front', ariaLabelledBy: 'contents-heading' }, [
            h('h2', { id: 'contents-heading' }, label(book, 'contents')),
            tocItems(book.toc, plan, printedTocDepth(book)),
          ]),
          ...chapters,
          ...(endnotes ? [] : [noteGalley(copies)]),
        ]),
      ]),
    ],
  };
  const fontDirs = [...new Set(faces.map((f) => path.dirname(f.asset.sourcePath)))];
  return {
    html: toHtml(doc),
    allowedRoots: [book.root, STYLES_DIR, ...fontDirs, ...book.styles.map((s) => path.dirname(s.sourcePath))],
  };
}
