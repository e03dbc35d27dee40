/**
 * Large chapters split into several spine files. Older Kobo and Kindle firmware stall or run out of
 * memory on content documents over about 300 KB, so a chapter whose XHTML would be larger is cut at
 * its section headings (h2, then h3, … as needed), and a section that is still too large between
 * two of its blocks; consecutive pieces are packed back together up to the limit, so a chapter
 * becomes as few files as the limit allows. A single block larger than the limit (a huge table) stays
 * whole: cutting inside it would change the content. Each note goes to the file that cites it first.
 *
 * Written here because it is a question of this book model and its notes; EPUB packagers that split
 * (calibre's ebook-convert, pandoc's --split-level) work on their own document models.
 */
import type { Element, ElementContent, Nodes, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toHtml } from 'hast-util-to-html';
import type { Chapter, Footnote } from '../../model/book.ts';
import { eachElement } from '../../model/trees.ts';

/** The size above which a chapter is split (bytes of XHTML, about what older readers manage). */
export const MAX_DOCUMENT_BYTES = 300 * 1024;
/** About what a content document holds besides the chapter's nodes and notes (head, wrappers). */
const FRAME_BYTES = 1024;

export interface ChapterPiece {
  /** The chapter's top-level nodes in this file, in order. */
  nodes: ElementContent[];
  /** The notes first cited in this file. */
  notes: Footnote[];
}

const bytes = (node: ElementContent | Footnote['content'][number]) => Buffer.byteLength(toHtml(node as Root['children'][number]), 'utf8');

/** The most one UTF-16 code unit can cost once serialised: `&quot;` (a character in UTF-8 costs at most 4 for 2 units). */
const MAX_BYTES_PER_UNIT = 6;

/**
 * An upper bound on `bytes(node)` from one walk, without serialising: every character counted at the
 * most it can cost, every attribute name at twice the property's length (`className` is `class`,
 * `ariaDescribedBy` is `aria-describedby`). Serialising every node of every chapter only to learn
 * that nearly all chapters are far below the limit was 5–10 % of the EPUB stage.
 */
export function boundBytes(node: Nodes): number {
  switch (node.type) {
    case 'text':
    case 'comment':
    case 'raw':
      return 7 + node.value.length * MAX_BYTES_PER_UNIT;
    case 'element': {
      let n = 2 * node.tagName.length + 5;
      for (const [key, value] of Object.entries(node.properties)) {
        if (value === undefined || value === null || value === false) continue;
        const text = Array.isArray(value) ? value.join(' ') : String(value);
        n += 2 * key.length + 4 + text.length * MAX_BYTES_PER_UNIT;
      }
      for (const child of node.children) n += boundBytes(child);
      if (node.content) n += boundBytes(node.content);
      return n;
    }
    case 'root': {
      let n = 0;
      for (const child of node.children) n += boundBytes(child);
      return n;
    }
    default:
      // A doctype: measured exactly.
      return Buffer.byteLength(toHtml(node), 'utf8');
  }
}

/**
 * Cuts `nodes` into runs of at most `limit` bytes (by `sizeOf`), at headings of rank `rank` first,
 * then deeper ranks, then between blocks, and packs consecutive runs back together up to the limit.
 */
export function splitAtSections(nodes: ElementContent[], sizeOf: (node: ElementContent) => number, limit: number, rank = 2): ElementContent[][] {
  const total = (list: ElementContent[]) => list.reduce((sum, n) => sum + sizeOf(n), 0);
  if (total(nodes) <= limit) return [nodes];
  let runs: ElementContent[][];
  if (rank <= 6) {
    runs = [];
    let current: ElementContent[] = [];
    for (const node of nodes) {
      const opens = node.type === 'element' && headingRank(node) !== undefined && (headingRank(node) as number) <= rank;
      if (opens && current.some((n) => n.type === 'element')) {
        runs.push(current);
        current = [];
      }
      current.push(node);
    }
    runs.push(current);
    // Too large runs are cut at the next rank down (a run without such headings comes back whole).
    runs = runs.flatMap((run) => (total(run) > limit ? splitAtSections(run, sizeOf, limit, rank + 1) : [run]));
  } else {
    // No heading left to cut at: between blocks. White space stays with the block before it, and a
    // heading with the block after it (a file never ends on a heading).
    runs = [];
    const onlyHeading = (run: ElementContent[]) =>
      run.some((n) => n.type === 'element') && run.every((n) => n.type !== 'element' || headingRank(n) !== undefined);
    for (const node of nodes) {
      const last = runs[runs.length - 1];
      if (last && (node.type !== 'element' || onlyHeading(last))) last.push(node);
      else runs.push([node]);
    }
  }
  const packed: ElementContent[][] = [];
  let current: ElementContent[] = [];
  let size = 0;
  for (const run of runs) {
    const runSize = total(run);
    if (current.length > 0 && size + runSize > limit) {
      packed.push(current);
      current = [];
      size = 0;
    }
    current.push(...run);
    size += runSize;
  }
  if (current.length > 0) packed.push(current);
  return packed;
}

/** The ids of elements inside a node (the node's own included). */
export function idsIn(node: ElementContent): string[] {
  const ids: string[] = [];
  eachElement(node as Element, (e: Element) => {
    if (typeof e.properties.id === 'string') ids.push(e.properties.id);
  });
  return ids;
}

/**
 * A chapter as one or more files: its top-level nodes split when the chapter with its notes is over
 * `limit`, each note in the piece holding its first reference (the last piece if none does).
 */
export function chapterPieces(chapter: Chapter, limit = MAX_DOCUMENT_BYTES): ChapterPiece[] {
  const nodes = chapter.hast.children as ElementContent[];
  const bound =
    nodes.reduce((sum, n) => sum + boundBytes(n), 0) + chapter.footnotes.reduce((sum, note) => sum + note.content.reduce((s, c) => s + boundBytes(c), 0), 0);
  if (bound <= limit - FRAME_BYTES) return [{ nodes, notes: chapter.footnotes }];
  const noteBytes = new Map(chapter.footnotes.map((n) => [n.refIds[0] ?? n.id, n.content.reduce((sum, c) => sum + bytes(c), 0)]));
  // A node's size counts the notes it cites first, since they go into its file. Measured once each.
  const sizes = new WeakMap<ElementContent, number>();
  const sizeOf = (node: ElementContent) => {
    let size = sizes.get(node);
    if (size === undefined) {
      size = bytes(node) + idsIn(node).reduce((sum, id) => sum + (noteBytes.get(id) ?? 0), 0);
      sizes.set(node, size);
    }
    return size;
  };
  // The limit is for the whole file: leave room for its head, the section and the notes' frame.
  const runs = splitAtSections(nodes, sizeOf, Math.max(1, limit - FRAME_BYTES));
  if (runs.length === 1) return [{ nodes, notes: chapter.footnotes }];
  const pieceOf = new Map<string, number>();
  runs.forEach((run, i) => {
    for (const node of run) for (const id of idsIn(node)) pieceOf.set(id, i);
  });
  const pieces: ChapterPiece[] = runs.map((run) => ({ nodes: run, notes: [] }));
  for (const note of chapter.footnotes) {
    const at = pieceOf.get(note.refIds[0] ?? '') ?? runs.length - 1;
    pieces[at]?.notes.push(note);
  }
  return pieces;
}
