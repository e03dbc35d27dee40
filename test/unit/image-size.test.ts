import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { imageLength, rehypeImageSizeIn, rehypeImageSizeOut } from '../../src/pipeline/image-size.ts';
import { root, runRehype } from './helpers.ts';

describe('image sizes', () => {
  it('keeps lengths Colophon can print, a bare number being CSS pixels', () => {
    expect(imageLength('50%')).toBe('50%');
    expect(imageLength(300)).toBe('300px');
    expect(imageLength(' 2.5IN ')).toBe('2.5in');
    for (const bad of ['auto', 'calc(100% - 1em)', '50vw', '0', '-3px', 'url(x)']) expect(imageLength(bad)).toBeUndefined();
  });

  it('takes sizes from attributes and inline styles before sanitising, and writes one style after', () => {
    const before = root(
      h('img', { src: 'a.png', width: '50%' }),
      h('img', { src: 'b.png', style: 'width: 30%; max-width: 200px; border: 1px solid' }),
      h('img', { src: 'c.png', width: 300, height: 200 }),
    );
    const { tree, diagnostics } = runRehype(rehypeImageSizeIn, before);
    expect(tree.children).toEqual([
      h('img', { src: 'a.png', width: '50%' }),
      h('img', { src: 'b.png', style: 'border: 1px solid', width: '30%', dataMaxWidth: '200px' }),
      h('img', { src: 'c.png', width: '300px', height: '200px' }),
    ]);
    expect(diagnostics).toEqual([]);
    // The sanitiser removes the leftover style; then the sizes become the image's style.
    delete (tree.children[1] as { properties: Record<string, unknown> }).properties.style;
    expect(runRehype(rehypeImageSizeOut, tree).tree.children).toEqual([
      h('img', { src: 'a.png', style: 'width: 50%' }),
      h('img', { src: 'b.png', style: 'width: 30%; max-width: 200px' }),
      h('img', { src: 'c.png', style: 'width: 300px; height: 200px' }),
    ]);
  });

  it('warns about a size it cannot keep, naming the image', () => {
    const { tree, diagnostics } = runRehype(rehypeImageSizeIn, root(h('img', { src: 'a.png', style: 'width: calc(100% - 2em)' })));
    expect(tree.children).toEqual([h('img', { src: 'a.png' })]);
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'image/size', message: expect.stringContaining('a.png') }]);
  });
});
