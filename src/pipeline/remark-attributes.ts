/**
 * Pandoc's attributes in Markdown: `# Intro {#intro .unnumbered}` on headings, `![A](d.svg){width=50%}`
 * on images (and links and inline code), and bracketed spans, `[small caps]{.smallcaps}`. remark
 * leaves all of them as text; this finds them in the tree and moves them onto the element they
 * follow. Runs before smart punctuation, which would curl the quotes of `key="value"`. A block the
 * author escaped (`\{`) or that is not valid attribute syntax stays text, as Pandoc leaves it.
 */
import type { Heading, Parent, PhrasingContent, Root, Text } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { type Attributes, attributesToProperties, leadingAttributes, trailingAttributes } from './attributes.ts';

declare module 'mdast' {
  /** Pandoc's bracketed span, `[text]{.class}`: becomes a `<span>`. */
  interface BracketedSpan extends Parent {
    type: 'bracketedSpan';
    children: PhrasingContent[];
  }
  interface PhrasingContentMap {
    bracketedSpan: BracketedSpan;
  }
  interface RootContentMap {
    bracketedSpan: BracketedSpan;
  }
}

type WithData = { data?: { hName?: string; hProperties?: Record<string, unknown> } };

function apply(node: WithData, attributes: Attributes): void {
  node.data ??= {};
  node.data.hProperties = { ...(node.data.hProperties ?? {}), ...attributesToProperties(attributes) };
}

export const remarkAttributes: Plugin<[], Root> = () => (tree, file) => {
  const source = String(file.value);
  /** The text as written at the node's start/end, to tell `{` from an escaped `\{`. */
  const writtenAtStart = (node: Text, text: string) => {
    const start = node.position?.start.offset;
    return start !== undefined && source.slice(start, start + text.length) === text;
  };
  const writtenAtEnd = (node: Text, text: string) => {
    const end = node.position?.end.offset;
    return end !== undefined && source.slice(end - text.length, end) === text && source[end - text.length - 1] !== '\\';
  };

  visit(tree, 'heading', (heading: Heading) => {
    const last = heading.children.at(-1);
    if (last?.type !== 'text') return;
    const found = trailingAttributes(last.value);
    if (!found || !writtenAtEnd(last, last.value.slice(found.start).trimEnd())) return;
    last.value = last.value.slice(0, found.start).trimEnd();
    if (last.value === '') heading.children.pop();
    apply(heading, found.attributes);
  });

  visit(tree, (node) => {
    if (!('children' in node)) return;
    const parent = node as Parent;
    attachFollowing(parent, writtenAtStart);
    wrapSpans(parent, source);
  });
};

/** `![alt](src){…}`, `[text](url){…}`, `` `code`{…} ``: the block right after the element is its attributes. */
function attachFollowing(parent: Parent, writtenAtStart: (node: Text, text: string) => boolean): void {
  const children = parent.children as PhrasingContent[];
  for (let i = 0; i < children.length - 1; i++) {
    const node = children[i] as PhrasingContent;
    const next = children[i + 1];
    if (!(node.type === 'image' || node.type === 'link' || node.type === 'inlineCode') || next?.type !== 'text') continue;
    const found = leadingAttributes(next.value);
    if (!found || !writtenAtStart(next, next.value.slice(0, found.length))) continue;
    apply(node, found.attributes);
    next.value = next.value.slice(found.length);
    if (next.value === '') children.splice(i + 1, 1);
  }
}

/**
 * `[text]{…}`: an opening `[` in one text node and `]{…}` in the same or a later one, with anything
 * between (emphasis, code, links). Brackets are matched by nesting, innermost first.
 */
function wrapSpans(parent: Parent, source: string): void {
  const children = parent.children as PhrasingContent[];
  // Where the last search for a `[` failed: nothing before it can open a later span, so no search
  // goes back past it (a paragraph of many `]{…}` stays linear).
  let floor = { child: 0, index: 0 };
  let i = 0;
  let from = 0;
  while (i < children.length) {
    const closer = children[i];
    const close = closer?.type === 'text' ? findSpanClose(closer, source, from) : undefined;
    if (closer?.type !== 'text' || !close) {
      i++;
      from = 0;
      continue;
    }
    const open = findOpen(children, i, close.index, floor);
    const opener = open ? (children[open.child] as Text) : undefined;
    const openAt = open && opener ? (opener.position?.start.offset ?? -1) + open.index : -1;
    // An escaped `\[` is text; when escapes earlier in the node shift the offsets, leave it be too.
    if (!open || !opener || source[openAt] !== '[' || source[openAt - 1] === '\\') {
      if (!open) floor = { child: i, index: close.index };
      from = close.index + 2;
      continue;
    }
    const before = opener.value.slice(0, open.index);
    const after = closer.value.slice(close.index + close.length);
    const inner: PhrasingContent[] =
      open.child === i
        ? [{ type: 'text', value: closer.value.slice(open.index + 1, close.index) }]
        : [
            { type: 'text', value: opener.value.slice(open.index + 1) },
            ...children.slice(open.child + 1, i),
            { type: 'text', value: closer.value.slice(0, close.index) },
          ];
    const span = { type: 'bracketedSpan' as const, children: inner.filter((n) => n.type !== 'text' || n.value !== ''), data: {} };
    apply(span, close.attributes);
    (span.data as { hName: string }).hName = 'span';
    // The rest of the closer keeps where it starts in the source: a later span in it is checked against the source too.
    const cut = close.index + close.length;
    const afterStart = closer.position ? { ...closer.position.start, offset: (closer.position.start.offset ?? 0) + cut } : undefined;
    const replacement: PhrasingContent[] = [
      ...(before ? [{ type: 'text' as const, value: before, ...(opener.position ? { position: opener.position } : {}) }] : []),
      span,
      ...(after
        ? [{ type: 'text' as const, value: after, ...(afterStart && closer.position ? { position: { start: afterStart, end: closer.position.end } } : {}) }]
        : []),
    ];
    children.splice(open.child, i - open.child + 1, ...replacement);
    // Go on with the rest of the closer, after the span.
    i = open.child + (before ? 1 : 0) + 1;
    from = 0;
  }
}

/** The first `]{…}` in a text node that was written as such (not escaped). */
function findSpanClose(node: Text, source: string, start = 0): { index: number; length: number; attributes: Attributes } | undefined {
  let from = start;
  for (;;) {
    const index = node.value.indexOf(']{', from);
    if (index === -1) return undefined;
    const found = leadingAttributes(node.value.slice(index + 1));
    const start = node.position?.start.offset;
    if (found && start !== undefined) {
      const written = node.value.slice(index, index + 1 + found.length);
      // Offsets in the node are offsets in the source only when nothing before was escaped; else leave it.
      const at = start + index;
      if (source.startsWith(written, at) && source[at - 1] !== '\\') return { index, length: 1 + found.length, attributes: found.attributes };
    }
    from = index + 2;
  }
}

/** The `[` that the `]` at (child, index) closes, counting nested brackets in text nodes only. */
function findOpen(
  children: PhrasingContent[],
  child: number,
  index: number,
  floor: { child: number; index: number },
): { child: number; index: number } | undefined {
  let depth = 0;
  for (let c = child; c >= floor.child; c--) {
    const node = children[c];
    if (node?.type !== 'text') continue;
    const end = c === child ? index : node.value.length;
    const stop = c === floor.child ? floor.index : 0;
    for (let k = end - 1; k >= stop; k--) {
      const ch = node.value[k];
      if (ch === ']') depth++;
      else if (ch === '[') {
        if (depth === 0) return { child: c, index: k };
        depth--;
      }
    }
  }
  return undefined;
}
