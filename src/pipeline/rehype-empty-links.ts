/**
 * A link to `#` (or an empty href) goes nowhere: in print it is invisible, in an e-book a dead tap.
 * Keep its text and drop the link, with a warning, rather than ship a dead link.
 */
import type { Element, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import { report } from './messages.ts';

export const rehypeEmptyLinks: Plugin<[], Root> = () => (tree, file) => {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'a' || !parent || index === undefined) return undefined;
    const href = node.properties.href;
    if (href === undefined || !['', '#'].includes(String(href).trim())) return undefined;
    report(
      file,
      'warning',
      'link/empty',
      `link "${hastToString(node)}" points nowhere (href "${String(href)}"); kept as plain text`,
      node,
      'Give the link a target, or remove the [ ](…) around the text.',
    );
    parent.children.splice(index, 1, ...node.children);
    return [SKIP, index];
  });
};
