/**
 * Soft hyphens (U+00AD) in a content tree, for the print document only: the book model and the
 * EPUB and web editions keep the words as written, so that searching, copying, screen readers and
 * dictionaries see whole words. Not in code, math, headings (a hyphenated title looks broken), or
 * anything that looks like a URL, an e-mail address or a path: a reader copying those must get them
 * intact.
 */
import type { Element, Root, Text } from 'hast';
import { SKIP, visit } from 'unist-util-visit';
import type { Hyphenate } from './patterns.ts';

const SKIP_TAGS = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'math', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'script', 'style', 'svg', 'abbr', 'time']);
const URL_LIKE = /(^[a-z][a-z0-9+.-]*:|@|\/|\\|www\.|\.[a-z]{2,}\/?$)/i;

/** Hyphenates the words of `tree` in place (callers pass a copy when the original must stay). */
export function insertSoftHyphens(tree: Root | Element, hyphenate: Hyphenate): void {
  visit(tree, (node, _index, parent) => {
    if (node.type === 'element') {
      const el = node as Element;
      if (SKIP_TAGS.has(el.tagName)) return SKIP;
      const cls = el.properties.className;
      if (Array.isArray(cls) && cls.some((c) => String(c).startsWith('katex'))) return SKIP;
      return undefined;
    }
    if (node.type !== 'text' || !parent) return undefined;
    const text = node as Text;
    // Split on whitespace but keep it, so spacing survives exactly.
    text.value = text.value
      .split(/(\s+)/)
      .map((token) => (token.length < 6 || /\s/.test(token) || URL_LIKE.test(token) ? token : hyphenate(token)))
      .join('');
    return undefined;
  });
}
