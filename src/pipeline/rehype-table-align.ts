/**
 * GFM column alignment arrives as the `align` attribute, which HTML5 made obsolete and EPUBCheck
 * rejects. An inline text-align says the same thing in every output.
 */
import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

export const rehypeTableAlign: Plugin<[], Root> = () => (tree) => {
  visit(tree, 'element', (node: Element) => {
    if ((node.tagName !== 'td' && node.tagName !== 'th') || node.properties.align === undefined) return;
    const align = String(node.properties.align);
    delete node.properties.align;
    if (['left', 'right', 'center', 'justify'].includes(align)) node.properties.style = `text-align: ${align}`;
  });
};
