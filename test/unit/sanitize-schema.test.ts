import { h } from 'hastscript';
import rehypeSanitize from 'rehype-sanitize';
import { describe, expect, it } from 'vitest';
import { sanitizeSchema } from '../../src/pipeline/sanitize-schema.ts';
import { root, runRehype } from './helpers.ts';

const sanitize = (tree: ReturnType<typeof root>) => runRehype(rehypeSanitize, tree, sanitizeSchema).tree;

describe('sanitize-schema', () => {
  it('keeps book markup: classes, ids without prefix, lang and dir, semantic elements', () => {
    const input = root(
      h('section.part', { id: 'one', lang: 'fr', dir: 'ltr' }, [
        h('figure', [h('img', { src: 'a.png', alt: 'a' }), h('figcaption', 'Cap')]),
        h('p', [h('abbr', { title: 'as soon as possible' }, 'ASAP'), h('cite', 'Book'), h('bdo', { dir: 'rtl' }, 'x')]),
        h('code.language-rust', 'fn'),
      ]),
    );
    expect(sanitize(structuredClone(input))).toEqual(input);
  });

  it('drops scripts, handlers, styles with their content, and the sources of a picture', () => {
    const out = sanitize(
      root(
        h('script', 'alert(1)'),
        h('style', 'p { color: red }'),
        h('p', { onClick: 'x()', style: 'color: red' }, 'text'),
        h('picture', [h('source', { srcSet: 'x.png' })]),
      ),
    );
    expect(out).toEqual(root(h('p', 'text'), h('picture')));
  });

  it('keeps only http(s) and relative image sources', () => {
    const out = sanitize(root(h('img', { src: 'javascript:x' }), h('img', { src: 'images/a.png' }), h('img', { src: 'https://example.org/a.png' })));
    expect(out).toEqual(root(h('img'), h('img', { src: 'images/a.png' }), h('img', { src: 'https://example.org/a.png' })));
  });
});
