/** Small XML helpers for the package document and the NCX (xast trees, serialised by xast-util-to-xml). */
import type { Element, ElementContent, Root } from 'xast';
import { toXml } from 'xast-util-to-xml';

/** An XML file from its root element, with the XML declaration. */
export function xmlDocument(root: Element): string {
  const tree: Root = {
    type: 'root',
    children: [{ type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' }, { type: 'text', value: '\n' }, root],
  };
  return `${toXml(tree, { closeEmptyElements: true })}\n`;
}

/**
 * Indents elements that hold only elements, so package files read well in a diff or a snapshot.
 * Mixed content (text with elements) is left exactly as it is.
 */
export function indentXml(element: Element, depth = 0): Element {
  const kids = element.children;
  if (kids.length === 0 || !kids.every((c) => c.type === 'element' || c.type === 'comment')) return element;
  const pad = (n: number): ElementContent => ({ type: 'text', value: `\n${'  '.repeat(n)}` });
  element.children = [...kids.flatMap((c) => [pad(depth + 1), c.type === 'element' ? indentXml(c, depth + 1) : c]), pad(depth)];
  return element;
}
