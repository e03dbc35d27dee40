import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { rehypeHeadingIds } from '../../src/pipeline/rehype-heading-ids.ts';
import { root, runRehype } from './helpers.ts';

describe('rehype-heading-ids', () => {
  it('gives headings GitHub-style ids, unique within the chapter, ignoring soft hyphens', () => {
    const { tree } = runRehype(rehypeHeadingIds, root(h('h1', 'The Start'), h('h2', 'Pro\u00adlogue'), h('h2', 'The Start'), h('h3', '!!!'), h('p', 'x')));
    const ids = tree.children.map((c) => (c.type === 'element' ? c.properties.id : undefined));
    expect(ids).toEqual(['the-start', 'prologue', 'the-start-1', 'section', undefined]);
  });

  it('keeps an id the author gave', () => {
    const { tree } = runRehype(rehypeHeadingIds, root(h('h2', { id: 'mine' }, 'Other')));
    expect(tree).toEqual(root(h('h2', { id: 'mine' }, 'Other')));
  });
});
