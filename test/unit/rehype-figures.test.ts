import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypeFigures } from '../../src/pipeline/rehype-figures.ts';
import { root, runRehype } from './helpers.ts';

describe('rehype-figures', () => {
  it('makes an image alone in its paragraph a figure captioned by its title, dropping the title', () => {
    const { tree } = runRehype(rehypeFigures, root(h('p', ['\n', h('img', { src: 'a.png', alt: 'A map', title: 'The route' }), ' '])));
    expect(tree).toEqual(root(h('figure', [h('img', { src: 'a.png', alt: 'A map' }), h('figcaption', 'The route')])));
  });

  it('captions by the alt text when there is no title', () => {
    const { tree } = runRehype(rehypeFigures, root(h('p', [h('img', { src: 'a.png', alt: 'A map' })])));
    expect(tree).toEqual(root(h('figure', [h('img', { src: 'a.png', alt: 'A map' }), h('figcaption', 'A map')])));
  });

  it('leaves an image inside running text in its paragraph', () => {
    const input = root(h('p', ['See ', h('img', { src: 'i.png', alt: 'icon' }), ' here.']));
    expect(runRehype(rehypeFigures, structuredClone(input)).tree).toEqual(input);
  });

  it('warns about every image without alt text, at its position', () => {
    const img = h('img', { src: 'x.png' });
    img.position = { start: { line: 3, column: 1 }, end: { line: 3, column: 12 } };
    const { tree, diagnostics } = runRehype(rehypeFigures, root(h('p', [img])));
    expect(tree).toEqual(root(h('figure', [img])));
    expect(diagnostics).toMatchObject([{ code: 'image/no-alt', severity: 'warning', location: { file: 'chapter.md', line: 3, column: 1 } }]);
  });
});
