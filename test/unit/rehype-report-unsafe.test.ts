import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypeReportUnsafe } from '../../src/pipeline/rehype-report-unsafe.ts';
import { root, runRehype } from './helpers.ts';

const codes = (d: { code: string; severity: string }[]) => d.map((x) => `${x.severity} ${x.code}`);

describe('rehype-report-unsafe', () => {
  it('reports active content as errors and leaves removing it to the sanitiser', () => {
    const input = root(
      h('script', 'alert(1)'),
      h('iframe', { src: 'https://example.org' }),
      h('p', { onClick: 'x()' }, 'tap'),
      h('a', { href: 'javascript:alert(1)' }, 'x'),
      h('a', { href: 'file:///etc/passwd' }, 'y'),
    );
    const { tree, diagnostics } = runRehype(rehypeReportUnsafe, structuredClone(input));
    expect(tree).toEqual(input);
    expect(codes(diagnostics)).toEqual([
      'error html/active-content',
      'error html/active-content',
      'error html/active-content',
      'error html/active-content',
      'error html/active-content',
    ]);
    expect(diagnostics[2]?.message).toBe('event handler "onclick" on <p> is not allowed in a book');
  });

  it('removes an image whose source is a file:, data: or javascript: URL, with an error', () => {
    const { tree, diagnostics } = runRehype(rehypeReportUnsafe, root(h('p', [h('img', { src: 'data:image/png;base64,AAAA' }), 'after'])));
    expect(tree).toEqual(root(h('p', ['after'])));
    expect(codes(diagnostics)).toEqual(['error html/unsafe-image']);
  });

  it('warns about presentational leftovers the sanitiser drops', () => {
    const { diagnostics } = runRehype(
      rehypeReportUnsafe,
      root(h('style', 'p{}'), h('p', { style: 'color: red' }, 'x'), h('a', { href: 'data:text/plain,hi' }, 'd')),
    );
    expect(codes(diagnostics)).toEqual(['warning html/removed-element', 'warning html/removed-attribute', 'warning html/removed-url']);
  });

  it('says nothing about ordinary markup', () => {
    const { diagnostics } = runRehype(rehypeReportUnsafe, root(h('p', [h('a', { href: 'ch2.md#x' }, 'link'), h('img', { src: 'images/a.png', alt: 'a' })])));
    expect(diagnostics).toEqual([]);
  });
});
