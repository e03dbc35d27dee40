/**
 * Heading ids from the heading text, GitHub-style (github-slugger, as rehype-slug). Unique within the
 * chapter here; the book pass makes them unique across chapters, because chapters are parsed (and
 * cached) one by one. An id the author gave in raw HTML is kept.
 */
import GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString as hastToString } from 'hast-util-to-string';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

export const rehypeHeadingIds: Plugin<[], Root> = () => (tree) => {
  const slugger = new GithubSlugger();
  visit(tree, 'element', (node: Element) => {
    if (!headingRank(node) || node.properties.id) return;
    // NFC, so the same heading gives the same id however its accents were typed.
    const text = hastToString(node)
      .replace(/\u00ad/g, '')
      .normalize('NFC');
    node.properties.id = slugger.slug(text) || slugger.slug('section');
  });
};
