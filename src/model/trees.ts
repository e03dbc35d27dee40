/** A chapter's content is its body tree plus each footnote's content; most walks want all of them. */
import type { Element, Root } from 'hast';
import type { Footnote } from './book.ts';

/** The body, then every note wrapped in a `div` (a note's content is a list of nodes, not a tree). */
export function chapterTrees(chapter: { hast: Root; footnotes: Footnote[] }): (Root | Element)[] {
  return [chapter.hast, ...chapter.footnotes.map((n): Element => ({ type: 'element', tagName: 'div', properties: {}, children: n.content }))];
}
