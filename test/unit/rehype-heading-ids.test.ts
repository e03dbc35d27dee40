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

describe('rehype-heading-ids in any script', () => {
  it('keeps letters of every script and composes accents (NFC), however they were typed', () => {
    const { tree } = runRehype(
      rehypeHeadingIds,
      root(h('h1', 'Un été à Paris'), h('h2', 'Un e\u0301te\u0301 a\u0300 Paris'), h('h1', 'פרק ראשון'), h('h1', '第一章 春'), h('h1', 'Глава первая')),
    );
    const ids = tree.children.map((c) => (c.type === 'element' ? c.properties.id : undefined));
    expect(ids).toEqual(['un-été-à-paris', 'un-été-à-paris-1', 'פרק-ראשון', '第一章-春', 'глава-первая']);
  });
});
