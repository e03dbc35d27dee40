import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypeTableAlign } from '../../src/pipeline/rehype-table-align.ts';
import { root, runRehype } from './helpers.ts';

describe('rehype-table-align', () => {
  it('turns the obsolete align attribute of cells into a text-align style', () => {
    const { tree } = runRehype(
      rehypeTableAlign,
      root(h('table', [h('tr', [h('th', { align: 'center' }, 'a'), h('td', { align: 'right' }, '1'), h('td', { align: 'bogus' }, '2'), h('td', '3')])])),
    );
    expect(tree).toEqual(
      root(h('table', [h('tr', [h('th', { style: 'text-align: center' }, 'a'), h('td', { style: 'text-align: right' }, '1'), h('td', '2'), h('td', '3')])])),
    );
  });
});
