import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypePageBreaks, remarkPageBreaks } from '../../src/pipeline/page-breaks.ts';
import { root, runRehype, runRemark } from './helpers.ts';

describe('page breaks', () => {
  it('turns \\newpage alone in a paragraph into a page-break element, and leaves it in prose', () => {
    const { tree } = runRemark(remarkPageBreaks, 'One.\n\n\\newpage\n\nTwo \\newpage here.\n');
    expect(tree.children.filter((n) => n.type === 'element')).toMatchObject([h('p', 'One.'), h('div.page-break'), h('p', 'Two \\newpage here.')]);
  });

  it('turns page-break styles into classes and keeps the rest of the style for the sanitiser to judge', () => {
    const { tree } = runRehype(
      rehypePageBreaks,
      root(
        h('div', { style: 'page-break-before: always' }),
        h('p', { style: 'break-after: page; color: red' }, 'x'),
        h('div', { style: 'page-break-before: avoid' }),
      ),
    );
    expect(tree.children).toEqual([
      h('div.page-break'),
      h('p.page-break-after', { style: 'color: red' }, 'x'),
      h('div', { style: 'page-break-before: avoid' }),
    ]);
  });
});
