/**
 * Print page numbers in the reflowable editions: an empty marker at the exact place where each
 * printed page begins, labelled with the page's folio, so that "page 123 of the print edition" can
 * be found in the EPUB (a `pagebreak` with a `page-list` nav) and in the web edition (`#page-123`).
 *
 * The places come from the PDF stage's page map: for each page, the block it starts in (a path of
 * element indexes from the chapter root) and how many characters of that block's text come before
 * it. The chapter trees carry no soft hyphens (only the print copy does), so an offset counts the
 * same characters here. Written by hand: it walks Colophon's own page map over its own trees.
 */
import type { Element, ElementContent, Root, Text } from 'hast';
import { h } from 'hastscript';
import { EXIT, visit } from 'unist-util-visit';

export interface PageStart {
  /** Element children indexes from the chapter root down to the block the page starts in. */
  path: number[];
  /** Characters of the block's text before the page's first character. */
  offset: number;
  /** The printed folio (`iv`, `123`). */
  label: string;
  /** The marker's id, unique in the book (`page-123`). */
  id: string;
}

/** The marker both editions use: empty, so it adds no text; `aria-label` is what a reader announces. */
export function pageBreakMarker(start: Pick<PageStart, 'id' | 'label'>, epub: boolean): Element {
  return h('span', {
    id: start.id,
    ...(epub ? { 'epub:type': 'pagebreak' } : {}),
    role: 'doc-pagebreak',
    ariaLabel: start.label,
    className: ['pagebreak'],
  });
}

function elementAt(root: Root, path: number[]): Element | undefined {
  let children: (Root['children'][number] | ElementContent)[] = root.children;
  let node: Element | undefined;
  for (const index of path) {
    node = children.filter((c): c is Element => c.type === 'element')[index];
    if (!node) return undefined;
    children = node.children;
  }
  return node;
}

/**
 * Puts `marker` into `block` before its character `offset` (counted over its text, in document
 * order), splitting a text node where needed. A position at the block's end, or past it (the text
 * changed), puts the marker at the end. Returns whether it was placed inside the block's text.
 */
export function insertAtOffset(block: Element, offset: number, marker: Element): boolean {
  let left = offset;
  const walk = (parent: Element): boolean => {
    for (let i = 0; i < parent.children.length; i++) {
      const child = parent.children[i] as ElementContent;
      if (child.type === 'text') {
        const chars = [...child.value];
        if (left < chars.length || (left === 0 && chars.length > 0)) {
          // White space between list items or table rows cannot hold a span (EPUBCheck RSC-005 on
          // Walden): the page then begins at the start of the next item or row.
          if (NO_TEXT.has(parent.tagName)) {
            const next = parent.children.slice(i + 1).find((c): c is Element => c.type === 'element');
            if (next) {
              left = 0;
              if (!walk(next)) next.children.unshift(marker);
              return true;
            }
          }
          const before: Text = { type: 'text', value: chars.slice(0, left).join('') };
          const after: Text = { type: 'text', value: chars.slice(left).join('') };
          parent.children.splice(i, 1, ...(before.value ? [before] : []), marker, after);
          return true;
        }
        left -= chars.length;
      } else if (child.type === 'element') {
        if (walk(child)) return true;
      }
    }
    return false;
  };
  if (walk(block)) return true;
  block.children.push(marker);
  return false;
}

/** Elements whose children are elements only (their text is formatting white space). */
const NO_TEXT = new Set(['ul', 'ol', 'dl', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'select', 'optgroup']);

/**
 * A copy of a chapter tree with a marker where each of `starts` begins. Positions are resolved on the
 * original tree first (inserting one marker would shift the element indexes of the next); a path
 * that no longer leads to a block puts the marker right after the page before it (the page list must
 * stay in reading order), or at the chapter's top for its first page, rather than losing the page.
 */
export function withPageBreaks(tree: Root, starts: PageStart[], epub: boolean): Root {
  const copy = structuredClone(tree);
  const placed = starts.map((start) => ({ start, block: elementAt(copy, start.path) }));
  // In page order: a marker adds no text, so later offsets still count the same characters, and
  // two pages at one place (a blank verso, then the chapter opening) keep their order.
  let atTop = 0;
  let previous: Element | undefined;
  for (const { start, block } of placed) {
    const marker = pageBreakMarker(start, epub);
    const atItsPlace = block !== undefined && insertAtOffset(block, start.offset, marker);
    if (!atItsPlace && (previous === undefined || !insertAfter(copy, previous, marker))) copy.children.splice(atTop++, 0, marker);
    previous = marker;
  }
  return copy;
}

/** Puts `node` right after `after` wherever it is in the tree; false when `after` is not in it. */
function insertAfter(root: Root, after: Element, node: Element): boolean {
  let done = false;
  visit(root, (child, index, parent) => {
    if (done || child !== after || parent === undefined || index === undefined) return;
    parent.children.splice(index + 1, 0, node);
    done = true;
    return EXIT;
  });
  return done;
}

/** `page-123`, or `page-123-2` when the book already has that id (a heading "Page 123"). */
export function pageIds(labels: string[], taken: (id: string) => boolean): string[] {
  const used = new Set<string>();
  return labels.map((label) => {
    const base = `page-${label.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    let id = base;
    for (let n = 2; taken(id) || used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

/** What the PDF stage's page map says about one page (outputs/pdf/pages/paginate.ts, `PageMapEntry`). */
export interface PrintedPage {
  label: string;
  blank: boolean;
  /** A chapter id, or a front-matter block: `half-title`, `title-page`, `copyright`, `contents`. */
  flow?: string;
  start?: { chapter: string; path: number[]; offset: number };
}

export interface PagePlacement {
  /** Markers per chapter id, in order. */
  chapters: Map<string, PageStart[]>;
  /** Markers at the top of a front-matter document (`title-page`, `copyright`, `contents`), in order. */
  front: Map<string, PageStart[]>;
  /** Every marker in reading order: the page list. */
  all: (PageStart & { where: string })[];
}

/**
 * Where each printed page's marker goes. A page that starts inside a chapter is marked at its first
 * character; a blank page, or a chapter page without a recorded start (a page of only a figure or of
 * continued notes), at the place of the page before it in the same flow, else at the top of the next
 * chapter; front-matter pages at the top of their document (the half-title with the title page).
 */
export function placePages(pages: PrintedPage[], taken: (id: string) => boolean): PagePlacement {
  const ids = pageIds(
    pages.map((p) => p.label),
    taken,
  );
  const chapters = new Map<string, PageStart[]>();
  const front = new Map<string, PageStart[]>();
  const all: PagePlacement['all'] = [];
  const frontFlow = (flow: string) => (flow === 'half-title' ? 'title-page' : flow);
  let pending: { label: string; id: string }[] = [];
  let last: { chapter: string; path: number[]; offset: number } | undefined;
  const put = (where: 'chapter' | 'front', key: string, start: PageStart) => {
    const map = where === 'chapter' ? chapters : front;
    map.set(key, [...(map.get(key) ?? []), start]);
    all.push({ ...start, where: `${where}:${key}` });
  };
  pages.forEach((page, i) => {
    const id = ids[i] as string;
    const flow = page.flow;
    if (page.blank || flow === undefined) {
      pending.push({ label: page.label, id });
      return;
    }
    const start = page.start ?? (last && last.chapter === flow ? last : undefined);
    const chapterPage = start !== undefined || !['half-title', 'title-page', 'copyright', 'contents'].includes(flow);
    const at = chapterPage ? (start ?? { chapter: flow, path: [], offset: 0 }) : undefined;
    for (const p of [...pending, { label: page.label, id }]) {
      if (at) put('chapter', at.chapter, { path: at.path, offset: at.offset, label: p.label, id: p.id });
      else put('front', frontFlow(flow), { path: [], offset: 0, label: p.label, id: p.id });
    }
    pending = [];
    if (at) last = at;
  });
  // Blank pages at the very end (added to fill a sheet) follow the last text.
  for (const p of pending) {
    if (last) put('chapter', last.chapter, { path: last.path, offset: last.offset, label: p.label, id: p.id });
  }
  return { chapters, front, all };
}
