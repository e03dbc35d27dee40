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
 * Rewrites each node of a run with `rewrite(value, before, after)`, where `before` is the run's text
 * up to the node (as already rewritten) and `after` the rest, as written.
 */
export function rewriteRun(run: { value: string }[], rewrite: (value: string, before: string, after: string) => string): void {
  let before = '';
  run.forEach((node, i) => {
    const after = run
      .slice(i + 1)
      .map((n) => n.value)
      .join('');
    node.value = rewrite(node.value, before, after);
    before += node.value;
  });
}
