/**
 * The size an author gives an image: Pandoc's `![A](d.svg){width=50%}`, HTML's `width`/`height`
 * attributes, or `width`/`max-width`/`height` in an inline style. Kept in every output as an inline
 * style the sanitiser never sees from the author: before sanitising, `rehypeImageSizeIn` moves the
 * sizes out of the style into `width`/`height`/`data-max-width` attributes (which the schema keeps);
 * after it, `rehypeImageSizeOut` checks each value again and writes the style. A bare number is CSS
 * pixels (as in HTML); a percentage is of the text block, since figures span it.
 */
import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { readStyle, setStyle } from './inline-style.ts';
import { report } from './messages.ts';

const SIZES = [
  ['width', 'width'],
  ['height', 'height'],
  ['max-width', 'dataMaxWidth'],
] as const;

/** A CSS length Colophon keeps, normalised (`50%`, `300px`, `2.5in`); undefined if it is none. */
export function imageLength(value: unknown): string | undefined {
  const text = String(value ?? '')
    .trim()
    .toLowerCase();
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(px|%|em|rem|in|cm|mm|pt|pc)?$/.exec(text);
  if (!m || Number(m[1]) === 0) return undefined;
  return `${Number(m[1])}${m[2] ?? 'px'}`;
}

export const rehypeImageSizeIn: Plugin<[], Root> = () => (tree, file) => {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'img') return;
    const declarations = readStyle(node.properties.style) ?? [];
    const fromStyle = new Map(declarations.filter(([p]) => SIZES.some(([css]) => css === p)));
    setStyle(
      node.properties,
      declarations.filter(([p]) => !fromStyle.has(p)),
    );
    for (const [css, property] of SIZES) {
      const written = fromStyle.get(css) ?? (css === 'max-width' ? undefined : node.properties[property]);
      delete node.properties[property];
      if (written === undefined || written === null || written === '') continue;
      const length = imageLength(written);
      if (length) node.properties[property] = length;
      else {
        report(
          file,
          'warning',
          'image/size',
          `${css} "${String(written)}" of image "${String(node.properties.src ?? '')}" is not a size Colophon can keep; the image is shown at its natural size`,
          node,
          'Give a number with a unit: 50% (of the text width), 300px, 2.5in, 6cm.',
        );
      }
    }
  });
};

export const rehypeImageSizeOut: Plugin<[], Root> = () => (tree) => {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'img') return;
    const declarations: [string, string][] = [];
    for (const [css, property] of SIZES) {
      const length = imageLength(node.properties[property]);
      delete node.properties[property];
      if (length) declarations.push([css, length]);
    }
    setStyle(node.properties, declarations);
  });
};
