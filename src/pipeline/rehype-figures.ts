/**
 * An image standing alone in its paragraph is a figure, captioned by its title or else its alt text
 * (pandoc's `implicit_figures`). Images without alt text are reported: they are invisible to
 * screen-reader users and EPUBCheck's accessibility checks flag them.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { report } from './messages.ts';

const isBlank = (n: ElementContent) => n.type === 'text' && n.value.trim() === '';

export const rehypeFigures: Plugin<[], Root> = () => (tree, file) => {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'img') {
      const alt = node.properties.alt;
      if (alt === undefined || String(alt).trim() === '') {
        report(
          file,
          'warning',
          'image/no-alt',
          `image "${String(node.properties.src ?? '')}" has no alt text`,
          node,
          'Describe the image: ![what it shows](path). Use alt text that says what a reader would miss.',
        );
      }
      return;
    }
    if (node.tagName !== 'p' || !parent || index === undefined) return;
    const content = node.children.filter((c) => !isBlank(c));
    const img = content[0];
    if (content.length !== 1 || img?.type !== 'element' || img.tagName !== 'img') return;
    const captionText = String(img.properties.title ?? img.properties.alt ?? '').trim();
    // The title was only carrying the caption; a tooltip repeating it helps nobody.
    delete img.properties.title;
    const figure: Element = {
      type: 'element',
      tagName: 'figure',
      properties: {},
      children: captionText ? [img, { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: captionText }] }] : [img],
      position: node.position,
    };
    parent.children.splice(index, 1, figure);
  });
};
