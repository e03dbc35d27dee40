/** Small helpers over the model's trees that every stage may use. */
import type { Element, Root } from 'hast';
import type { Footnote } from './book.ts';

/** A chapter's content is its body tree plus each footnote's content; most walks want all of them. */
export function chapterTrees(chapter: { hast: Root; footnotes: Footnote[] }): (Root | Element)[] {
  // The body, then every note wrapped in a `div` (a note's content is a list of nodes, not a tree).
  return [chapter.hast, ...chapter.footnotes.map((n): Element => ({ type: 'element', tagName: 'div', properties: {}, children: n.content }))];
}

/** Elements whose text is code: set in the monospace face, never hyphenated or smartened. */
export const CODE_TAGS: ReadonlySet<string> = new Set(['code', 'pre', 'kbd', 'samp']);

/** An element's classes as a list (hast keeps `className` as an array, or leaves it out). */
export function classesOf(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}
