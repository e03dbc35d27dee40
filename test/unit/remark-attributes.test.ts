import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { remarkAttributes } from '../../src/pipeline/remark-attributes.ts';
import { runRemark, shape } from './helpers.ts';

const html = (markdown: string) => shape(runRemark(remarkAttributes, markdown).tree.children);

describe('remark-attributes (Pandoc attributes and bracketed spans)', () => {
  it('moves a heading’s attributes onto the heading', () => {
    expect(html('# Intro {#intro .unnumbered}\n\n## Plain {-}\n')).toEqual(shape([h('h1#intro.unnumbered', 'Intro'), h('h2.unnumbered', 'Plain')]));
  });

  it('gives an image, a link and inline code the block that follows them', () => {
    expect(html('![A diagram](d.svg){width=50%} [site](https://example.org){.ext} `x`{.rust}\n')).toEqual(
      shape([
        h('p', [
          h('img', { src: 'd.svg', alt: 'A diagram', width: '50%' }),
          ' ',
          h('a.ext', { href: 'https://example.org' }, 'site'),
          ' ',
          h('code.rust', 'x'),
        ]),
      ]),
    );
  });

  it('makes bracketed spans, with markup and nested brackets inside', () => {
    expect(html('A [small caps]{.smallcaps} word and [*very* [odd]]{lang=fr}.\n')).toEqual(
      shape([h('p', ['A ', h('span.smallcaps', 'small caps'), ' word and ', h('span', { lang: 'fr' }, [h('em', 'very'), ' [odd]']), '.'])]),
    );
  });

  it('nests spans, and finds a span after a stray closing bracket in the same text', () => {
    expect(html('[outer [inner]{.a} more]{.b} and x]{.c} then [d]{.e}\n')).toEqual(
      shape([h('p', [h('span.b', ['outer ', h('span.a', 'inner'), ' more']), ' and x]{.c} then ', h('span.e', 'd')])]),
    );
  });

  it('leaves escaped braces and brackets, and braces that are not attributes, as text', () => {
    expect(html('# Sets \\{#x}\n\n\\[not]{.a} and [b]{x y} and ![i](i.png)\\{width=1}\n')).toEqual(
      shape([h('h1', 'Sets {#x}'), h('p', ['[not]{.a} and [b]{x y} and ', h('img', { src: 'i.png', alt: 'i' }), '{width=1}'])]),
    );
  });
});
