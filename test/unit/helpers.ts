/** Running one unified plugin on a tree, as the unified collective's own plugin tests do. */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { type Plugin, unified } from 'unified';
import { VFile } from 'vfile';
import { fileDiagnostics } from '../../src/pipeline/messages.ts';

/** Runs `plugin` on a hast tree; returns the tree and the diagnostics it reported. */
export function runRehype<O extends unknown[]>(plugin: Plugin<O, HastRoot>, tree: HastRoot, ...options: O) {
  const file = new VFile({ path: 'chapter.md', value: '' });
  const out = unified()
    .use(plugin, ...options)
    .runSync(tree, file) as HastRoot;
  return { tree: out, diagnostics: fileDiagnostics(file, 'chapter.md') };
}

/** Markdown → mdast (with directives) → `plugin` → hast, to see a remark plugin's effect on the HTML. */
export function runRemark<O extends unknown[]>(plugin: Plugin<O, MdastRoot>, markdown: string, ...options: O) {
  const file = new VFile({ path: 'chapter.md', value: markdown });
  const processor = unified()
    .use(remarkParse)
    .use(remarkDirective)
    .use(plugin, ...options)
    .use(remarkRehype);
  const tree = processor.runSync(processor.parse(file), file) as HastRoot;
  return { tree, diagnostics: fileDiagnostics(file, 'chapter.md') };
}

export const root = (...children: HastRoot['children']): HastRoot => ({ type: 'root', children });

/** Nodes as plain data to compare: positions dropped, and the newline text nodes remark-rehype puts between blocks. */
export function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((n) => !(n.type === 'text' && n.value === '\n')).map(shape);
  if (node && typeof node === 'object') {
    const { position: _p, ...rest } = node as Record<string, unknown>;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, shape(v)]));
  }
  return node;
}
