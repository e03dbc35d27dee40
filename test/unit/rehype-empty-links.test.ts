import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypeEmptyLinks } from '../../src/pipeline/rehype-empty-links.ts';
import { root, runRehype } from './helpers.ts';

describe('rehype-empty-links', () => {
  it('turns a link to # or to nothing into its text, with a warning each', () => {
    const { tree, diagnostics } = runRehype(
      rehypeEmptyLinks,
      root(h('p', ['a ', h('a', { href: '#' }, ['dead ', h('em', 'end')]), ' b ', h('a', { href: '' }, 'void')])),
    );
    expect(tree).toEqual(root(h('p', ['a ', 'dead ', h('em', 'end'), ' b ', 'void'])));
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['link/empty', 'warning', 'link "dead end" points nowhere (href "#"); kept as plain text'],
      ['link/empty', 'warning', 'link "void" points nowhere (href ""); kept as plain text'],
    ]);
  });

  it('leaves real links and anchors without href alone', () => {
    const input = root(h('p', [h('a', { href: '#intro' }, 'in'), h('a', { href: 'https://example.org' }, 'out'), h('a', { id: 'here' })]));
    const { tree, diagnostics } = runRehype(rehypeEmptyLinks, structuredClone(input));
    expect(tree).toEqual(input);
    expect(diagnostics).toEqual([]);
  });
});
