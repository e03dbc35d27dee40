/**
 * Book containers written as directives (`:::epigraph`, `:::aside`, `:::poem`) and scene breaks (`***`).
 * remark-directive only parses the syntax; what each name means in a book is ours to say.
 */
import type { PhrasingContent, Root, Text } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import type {} from 'mdast-util-to-hast';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import { report } from './messages.ts';

interface ContainerSpec {
  tag: string;
  className: string;
}

export const CONTAINERS: Record<string, ContainerSpec> = {
  epigraph: { tag: 'blockquote', className: 'epigraph' },
  aside: { tag: 'aside', className: 'aside' },
  poem: { tag: 'div', className: 'poem' },
  note: { tag: 'aside', className: 'note' },
  dedication: { tag: 'div', className: 'dedication' },
};

export interface ContainerOptions {
  /**
   * Warn about a container whose name Colophon does not know (a typo of `:::epigraph`?). Off for
   * Pandoc projects, where `::: Warning` is an ordinary div with a class for the book's stylesheet.
   */
  warnUnknown?: boolean;
}

export const remarkContainers: Plugin<[ContainerOptions?], Root> =
  (options = {}) =>
  (tree, file) => {
    const source = String(file.value);
    const warnUnknown = options.warnUnknown ?? true;
    visit(tree, (node, index, parent) => {
      if (node.type === 'containerDirective') {
        const attributes = node.attributes ?? {};
        const written = attributes.class ? attributes.class.split(/\s+/).filter(Boolean) : [];
        // `:::div{.epigraph}` (Pandoc's `::: {.epigraph}`): a plain div, or the container its first known class names.
        const generic = node.name === 'div';
        const spec = generic ? CONTAINERS[written.find((c) => CONTAINERS[c]) ?? ''] : CONTAINERS[node.name];
        if (!spec && !generic && warnUnknown) {
          report(
            file,
            'warning',
            'markdown/unknown-container',
            `unknown container ":::${node.name}"; rendered as a plain block`,
            node,
            `Known containers: ${Object.keys(CONTAINERS).join(', ')}.`,
          );
        }
        const classes = [...new Set([...(spec ? [spec.className] : generic ? [] : [node.name]), ...written])];
        node.data = {
          hName: spec?.tag ?? 'div',
          hProperties: { ...(classes.length > 0 ? { className: classes } : {}), ...(attributes.id ? { id: attributes.id } : {}) },
        };
        if (spec?.className === 'poem') poemLineBreaks(node);
        return;
      }
      // Leaf and text directives have no meaning in a book yet: a colon in running text (`ratio a:b`)
      // must stay text, so give back exactly what the author wrote.
      if ((node.type === 'textDirective' || node.type === 'leafDirective') && parent && index !== undefined) {
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        const literal = start !== undefined && end !== undefined ? source.slice(start, end) : `:${node.name}`;
        const text: Text = { type: 'text', value: literal };
        if (node.type === 'leafDirective') parent.children.splice(index, 1, { type: 'paragraph', children: [text] });
        else parent.children.splice(index, 1, text);
        return [SKIP, index + 1];
      }
      if (node.type === 'thematicBreak') {
        node.data = { hProperties: { className: ['scene-break'] } };
      }
      return undefined;
    });
  };

/** In a poem every source line is a verse line: soft line breaks become hard ones. */
function poemLineBreaks(container: ContainerDirective): void {
  visit(container, 'text', (node, index, parent) => {
    if (!parent || index === undefined || !node.value.includes('\n')) return;
    const parts = node.value.split('\n');
    const replacement: PhrasingContent[] = [];
    parts.forEach((part, i) => {
      if (i > 0) replacement.push({ type: 'break' });
      if (part) replacement.push({ type: 'text', value: part });
    });
    (parent.children as PhrasingContent[]).splice(index, 1, ...replacement);
    return [SKIP, index + replacement.length];
  });
}
