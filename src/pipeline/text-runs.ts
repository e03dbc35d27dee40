/**
 * The text of each block (paragraph, heading, table cell) as one run of mdast text nodes in reading
 * order, across emphasis and links. Punctuation rules need the characters on both sides of a node's
 * edge (`« *mot* »`); code spans are not text nodes, so code is never touched.
 */
import type { Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';

const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

export function eachTextRun(tree: Root, fn: (run: Text[]) => void): void {
  visit(tree, (node) => {
    if (!BLOCKS.has(node.type)) return;
    const run: Text[] = [];
    visit(node, 'text', (text: Text) => {
      run.push(text);
    });
    if (run.length > 0) fn(run);
  });
}

/**
 * Rewrites each node of a run with `rewrite(value, before, after)`, where `before` is the character
 * just before the node (as already rewritten) and `after` the one just after it (as written), across
 * node edges: the rules here look one character either side. Linear in the run's length.
 */
export function rewriteRun(run: { value: string }[], rewrite: (value: string, before: string, after: string) => string): void {
  const firstAfter: string[] = new Array(run.length).fill('');
  let next = '';
  for (let i = run.length - 1; i >= 0; i--) {
    firstAfter[i] = next;
    const value = (run[i] as { value: string }).value;
    if (value !== '') next = String.fromCodePoint(value.codePointAt(0) as number);
  }
  let before = '';
  run.forEach((node, i) => {
    node.value = rewrite(node.value, before, firstAfter[i] as string);
    if (node.value !== '') before = [...node.value].at(-1) as string;
  });
}
