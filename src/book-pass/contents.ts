/** Titles and the table of contents: what the reader navigates by, read from the headings. */
import type { Element } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString as hastToString } from 'hast-util-to-string';
import type { Chapter, TocEntry } from '../model/book.ts';
import { classesOf, eachElement } from '../model/trees.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';

/** The first h1, else the first heading, else the file name: what running heads and the nav call a chapter. */
export function chapterTitle(chapter: ParsedChapter): string {
  let first: Element | undefined;
  let h1: Element | undefined;
  eachElement(chapter.hast, (node: Element) => {
    const rank = headingRank(node);
    if (!rank) return;
    first ??= node;
    if (rank === 1) h1 ??= node;
  });
  const heading = h1 ?? first;
  const text = heading ? hastToString(heading).trim() : '';
  return text || chapter.source.replace(/\.md$/i, '');
}

/** Headings below this rank (relative to the chapter's h1) stay out of the contents: they would crowd it. */
const CONTENTS_RANK = 3;

/**
 * The nested contents of every chapter, in reading order: each chapter's h1 is one entry at the
 * chapter's level (1 for a chapter of the book), its h2 and h3 nested under it. Depth comes from the
 * chapter's level, never from an earlier file's headings, so a chapter is never nested under another
 * unless its level says so.
 */
export function buildToc(chapters: Chapter[]): TocEntry[] {
  if (chapters.some((c) => c.structured)) return structuredToc(chapters);
  const toc: TocEntry[] = [];
  const stack: TocEntry[] = [];
  for (const chapter of chapters) {
    eachElement(chapter.hast, (node: Element) => {
      const rank = headingRank(node);
      // Pandoc's `.unlisted` keeps a heading out of the contents.
      if (!rank || rank > CONTENTS_RANK || node.properties.id === undefined || classesOf(node).includes('unlisted')) return;
      const entry: TocEntry = {
        id: String(node.properties.id),
        chapterId: chapter.id,
        depth: chapter.level + rank - 1,
        title: hastToString(node).trim(),
        children: [],
      };
      while (stack.length > 0 && (stack.at(-1) as TocEntry).depth >= entry.depth) stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.children.push(entry);
      else toc.push(entry);
      stack.push(entry);
    });
  }
  return toc;
}

/**
 * When the manuscript states the book's structure (mdBook's SUMMARY.md), the contents are that
 * structure, entry for entry, as mdBook's own navigation shows it: one entry per chapter, named as the
 * structure names it, nested by its level. Authors of such books make their sections chapters of
 * their own; the headings inside a chapter are not listed. Levels below the third are listed at the
 * third (the contents and the EPUB navigation of every output go three deep).
 */
function structuredToc(chapters: Chapter[]): TocEntry[] {
  const toc: TocEntry[] = [];
  const stack: TocEntry[] = [];
  for (const chapter of chapters) {
    const depth = Math.min(3, Math.max(1, chapter.level)) as 1 | 2 | 3;
    const entry: TocEntry = { id: chapter.id, chapterId: chapter.id, depth, title: chapter.title, children: [] };
    while (stack.length > 0 && (stack.at(-1) as TocEntry).depth >= depth) stack.pop();
    const parent = stack.at(-1);
    if (parent) parent.children.push(entry);
    else toc.push(entry);
    stack.push(entry);
  }
  return toc;
}
