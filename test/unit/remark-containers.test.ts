import { toString as hastToString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { remarkContainers } from '../../src/pipeline/remark-containers.ts';
import { runRemark, shape } from './helpers.ts';

/** The tree without positions and the blank text nodes between blocks. */
describe('remark-containers', () => {
  it('maps each known container to its element and class', () => {
    const md = ':::epigraph\nWords.\n:::\n\n:::aside{.wide #side}\nAside.\n:::\n\n:::dedication\nFor Ann.\n:::\n';
    const { tree, diagnostics } = runRemark(remarkContainers, md);
    expect(shape(tree.children)).toEqual(
      shape([
        h('blockquote.epigraph', [h('p', 'Words.')]),
        h('aside.aside.wide', { id: 'side' }, [h('p', 'Aside.')]),
        h('div.dedication', [h('p', 'For Ann.')]),
      ]),
    );
    expect(diagnostics).toEqual([]);
  });

  it('makes every line of a poem a verse line', () => {
    const { tree } = runRemark(remarkContainers, ':::poem\nOne line\nand another\n:::\n');
    expect(shape(tree.children)).toEqual(shape([h('div.poem', [h('p', ['One line', h('br'), 'and another'])])]));
  });

  it('renders an unknown container as a plain block with a warning', () => {
    const { tree, diagnostics } = runRemark(remarkContainers, ':::sidebar\nX\n:::\n');
    expect(shape(tree.children)).toEqual(shape([h('div.sidebar', [h('p', 'X')])]));
    expect(diagnostics).toMatchObject([{ code: 'markdown/unknown-container', severity: 'warning', location: { line: 1 } }]);
  });

  it('gives back text and leaf directives as the author wrote them', () => {
    const { tree } = runRemark(remarkContainers, 'The ratio a:b and 10:30:b{x} stay.\n\n::leaf\n');
    expect(tree.children.filter((n) => n.type === 'element').map((p) => hastToString(p))).toEqual(['The ratio a:b and 10:30:b{x} stay.', '::leaf']);
  });

  it('marks a thematic break as a scene break', () => {
    const { tree } = runRemark(remarkContainers, 'a\n\n***\n\nb\n');
    expect(shape(tree.children)).toEqual(shape([h('p', 'a'), h('hr.scene-break'), h('p', 'b')]));
  });
});
