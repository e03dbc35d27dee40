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
import { visit } from 'unist-util-visit';
import { fontFaceCss, fontStackCss } from '../../fonts/css.ts';
import { type Hyphenate, hyphenatorFor } from '../../hyphenation/patterns.ts';
import { insertSoftHyphens } from '../../hyphenation/soft-hyphens.ts';
import type { Asset, Book, Chapter, Footnote, TocEntry } from '../../model/book.ts';
import { chapterTrees } from '../../model/trees.ts';
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

/**
 * The same plan as printDocument() would write, applied to the loaded page in place: the blank versos
 * and the contents list are made by the same builders (blankPage, tocItems) and only swapped into the
 * DOM by a fixed script, run through DevTools (page scripts stay off).
 */
export function planUpdateScript(book: Book, plan: PaginationPlan): string {
  const firstChapter = book.chapters[0]?.id;
  const blanks = [...plan.blanksBefore].map((id) => ({
    id,
    html: toHtml(blankPage(id, (FRONT_BLOCKS as readonly string[]).includes(id) || id === firstChapter)),
  }));
  const patch = { blanks, toc: toHtml(tocItems(book.toc, plan, printedTocDepth(book))) };
  return `(${APPLY_PLAN_PATCH})(${JSON.stringify(patch)})`;
}

/**
 * Runs in the print page. A string, not a serialised function: the TypeScript loader may add helper
 * calls to a compiled function's body that do not exist in the page.
 */
const APPLY_PLAN_PATCH = `(patch) => {
  for (const old of document.querySelectorAll('div.blank-page')) old.remove();
  for (const { id, html } of patch.blanks) document.getElementById(id).insertAdjacentHTML('beforebegin', html);
  document.querySelector('nav.toc > ol').replaceWith(document.createRange().createContextualFragment(patch.toc));
  return document.fonts.ready.then(() => true);
}`;

function blankPage(beforeId: string, inFront: boolean): Element {
  return h('div.blank-page', { dataBlankFor: beforeId, style: `page: ${inFront ? 'blank-front' : 'blank'}`, ariaHidden: 'true' });
}

/** Footnotes mode: each note follows the top-level block that first cites it, set as a foot note. */
function withFootnotes(chapter: Chapter, body: Root): ElementContent[] {
  const byId = new Map(chapter.footnotes.map((n) => [n.id, n]));
  const placed = new Set<string>();
  const out: ElementContent[] = [];
  for (const block of body.children) {
    if (block.type === 'doctype') continue;
    out.push(block);
    if (block.type !== 'element') continue;
    const notes: Footnote[] = [];
    visit(block, 'element', (node: Element) => {
      const href = node.properties.href;
      if (node.tagName !== 'a' || node.properties.dataFootnoteRef === undefined || typeof href !== 'string') return;
      const note = byId.get(href.slice(1));
      if (note && !placed.has(note.id)) {
        placed.add(note.id);
        notes.push(note);
      }
    });
    if (notes.length > 0) out.push(footnoteBlock(notes));
  }
  const rest = chapter.footnotes.filter((n) => !placed.has(n.id));
  if (rest.length > 0) out.push(footnoteBlock(rest));
  return out;
}

function footnoteBlock(notes: Footnote[]): Element {
  return h(
    'aside.page-notes',
    { role: 'doc-footnote' },
    notes.map((note) => h('div.page-note', { id: note.id }, [h('span.note-label', note.label), ...structuredClone(note.content)])),
  );
}

/**
 * The chapter as print sets it: a copy with soft hyphens for the book's language (Chromium cannot
 * hyphenate by itself), body and notes alike. The model's chapter keeps the words whole.
 */
function printCopy(chapter: Chapter, hyphenate: Hyphenate | undefined): Chapter {
  const copy: Chapter = {
    ...chapter,
    hast: structuredClone(chapter.hast),
    footnotes: chapter.footnotes.map((n) => ({ ...n, content: structuredClone(n.content) })),
  };
  if (hyphenate) for (const tree of chapterTrees(copy)) insertSoftHyphens(tree, hyphenate);
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
  const chapters = book.chapters.flatMap((original, i) => {
    const chapter = printCopy(original, hyphenate);
    const body = chapter.hast;
    visit(body, 'element', (node: Element, _index, parent) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      node.properties.src = assetUrl.get(node.properties.src) ?? node.properties.src;
      // An image inside running text is set at text size; one that is a paragraph on its own stays large.
      if (parent?.type === 'element' && parent.tagName === 'p' && hastToString(parent).trim() !== '') {
        node.properties.className = [...((node.properties.className as string[] | undefined) ?? []), 'inline-image'];
      }
    });
    const content = endnotes ? [...(body.children as ElementContent[]), chapterNotes(chapter, book)] : withFootnotes(chapter, body);
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
