/**
 * Forced page breaks as authors write them for Pandoc: `\newpage` (or `\pagebreak`, `\clearpage`)
 * alone in a paragraph, which Pandoc passes to LaTeX and drops elsewhere, and raw HTML with
 * `style="page-break-before: always"` (or `break-before: page`, and the `-after` forms). Both become
 * an element with the class `page-break` (a break before it) or `page-break-after`: print.css breaks
 * the page there; the web edition and the EPUB have no pages to break, so nothing shows.
 */
import type { Element, Root as HastRoot } from 'hast';
import type { Root as MdastRoot, Paragraph } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { readStyle, setStyle } from './inline-style.ts';

const TEX_BREAK = /^\\(newpage|pagebreak|clearpage|cleardoublepage)$/;

export const remarkPageBreaks: Plugin<[], MdastRoot> = () => (tree) => {
  visit(tree, 'paragraph', (node: Paragraph) => {
    const only = node.children.length === 1 ? node.children[0] : undefined;
    if (only?.type !== 'text' || !TEX_BREAK.test(only.value.trim())) return;
    node.data = { hName: 'div', hProperties: { className: ['page-break'] }, hChildren: [] };
  });
};

const BREAKING = new Set(['always', 'page', 'left', 'right', 'recto', 'verso']);

/** Runs before sanitising, which would remove the style and with it the break. */
export const rehypePageBreaks: Plugin<[], HastRoot> = () => (tree) => {
  visit(tree, 'element', (node: Element) => {
    const declarations = readStyle(node.properties.style);
    if (!declarations) return;
    const classes: string[] = [];
    const rest = declarations.filter(([property, value]) => {
      const side = /^(?:page-)?break-(before|after)$/.exec(property)?.[1];
      if (!side || !BREAKING.has(value.toLowerCase())) return true;
      classes.push(side === 'before' ? 'page-break' : 'page-break-after');
      return false;
    });
    if (classes.length === 0) return;
    const existing = node.properties.className;
    node.properties.className = [...(Array.isArray(existing) ? existing.map(String) : []), ...classes];
    setStyle(node.properties, rest);
  });
};
