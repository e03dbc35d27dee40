/**
 * Smart punctuation in the Markdown tree: remark-smartypants 3.0.3's two passes, with retext-smartypants
 * doing every replacement as before, and one change: the second pass (dashes, ellipses, backticks),
 * which remark-smartypants runs as a whole retext parse of every text node, skips a text in which
 * none of them can occur.
 *
 * Why by hand: that second pass was most of the plugin's time (measured in remark-smartypants' own
 * loop, see `SECOND_PASS` below), and the library has no option to skip it. The first pass (quotes
 * over the whole chapter's text at once, so that a quote pairs across emphasis and links) is
 * unchanged. Tested: the same trees as remark-smartypants on every corpus book and fixture, and on
 * random Markdown.
 */
import type { Node, Parent, Root } from 'mdast';
import { retext } from 'retext';
import retextSmartypants, { type Options } from 'retext-smartypants';
import { visit } from 'unist-util-visit';

const VISITED = new Set(['text', 'inlineCode', 'paragraph', 'heading', 'tableCell']);
/** Nodes whose text starts fresh: a quote at their start always opens (remark-smartypants' BLOCK_NODES). */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

/**
 * What the second pass can change, as retext-smartypants' methods read its tokens: `` `` `` and `''`
 * (backticks), `--` and `---`, and `–` before `-` (old-school dashes), three dots with or without
 * white space between them (ellipses). A text with none of these substrings (dots: three, with only
 * non-letters and non-digits between them, a superset of both ellipses) comes out of it unchanged.
 */
const SECOND_PASS = /``|''|--|–-|\.[^\p{L}\p{N}]*\.[^\p{L}\p{N}]*\./u;

/**
 * retext-smartypants with `options`, as a function of a string. Every caller comes through here
 * (this plugin, and smart-text.ts for the metadata) because retext-smartypants 6.2.0 prints `drop`
 * and a syntax-tree node with console.log when it turns `–-` into `—` (a debugging line left in
 * dashesOldschool): on stdout, in the middle of a build's output or of `build --json`. Its call is
 * synchronous, so nothing else can log while it is silenced.
 */
export function smartypants(options: Options): (text: string) => string {
  const processor = retext().use(retextSmartypants, options).freeze();
  return (text) => {
    const log = console.log;
    console.log = () => {};
    try {
      return processor.processSync(text).toString();
    } finally {
      console.log = log;
    }
  };
}

type Literal = Node & { value: string };
const isLiteral = (node: Node): node is Literal => 'value' in node && typeof (node as Literal).value === 'string';

export function remarkSmartPunctuation(options: Options) {
  // Ellipses, dashes and backticks change the string's length, so the whole-chapter pass does quotes
  // only and the per-node pass the rest (as remark-smartypants does).
  const quotes = smartypants({ ...options, ellipses: false, dashes: false, backticks: false });
  const rest = smartypants({ ...options, quotes: false });
  return (tree: Root): void => {
    let all = '';
    const nodes: Node[] = [];
    visit(tree, (node: Node, index, parent: Parent | undefined) => {
      if (!parent || index === undefined || !VISITED.has(node.type)) return;
      if (isLiteral(node)) all += node.type === 'text' ? node.value : 'A'.repeat(node.value.length);
      else if (BLOCKS.has(node.type)) all += ' ';
      else return;
      nodes.push(node);
    });
    all = quotes(all);
    let start = 0;
    for (const node of nodes) {
      if (isLiteral(node)) {
        const end = start + node.value.length;
        if (node.type === 'text') {
          const text = all.slice(start, end);
          node.value = SECOND_PASS.test(text) ? rest(text) : text;
        }
        start = end;
      } else {
        start += 1;
      }
    }
  };
}
