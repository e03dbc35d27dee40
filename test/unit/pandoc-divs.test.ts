import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { pandocDivsAsDirectives } from '../../src/pipeline/pandoc-divs.ts';
import { remarkContainers } from '../../src/pipeline/remark-containers.ts';
import { runRemark, shape } from './helpers.ts';

describe('Pandoc fenced divs as directives', () => {
  it('rewrites only the fence lines, nesting by order with as many colons as each div needs', () => {
    const md = '::: Warning ::::::\nThis is a warning.\n\n::: Danger\nWithin.\n:::\n::::::::::::::::::\n';
    expect(pandocDivsAsDirectives(md)).toBe('::::Warning\nThis is a warning.\n\n:::Danger\nWithin.\n:::\n::::\n');
    expect(pandocDivsAsDirectives('::: {.epigraph #e}\nx\n:::\n')).toBe(':::div{.epigraph #e}\nx\n:::\n');
  });

  it('leaves code, unclosed fences and stray closers alone', () => {
    for (const md of ['```\n::: note\n:::\n```\n', '::: note\nnever closed\n', 'text\n:::\n', 'a ::: b\n']) expect(pandocDivsAsDirectives(md)).toBe(md);
  });

  it('gives Pandoc divs their meaning: a known class is its container, any other a div with that class', () => {
    const md = '::: {.epigraph}\nWords.\n:::\n\n::: note\nA note.\n:::\n\n::: {#w .Warning}\nCareful.\n:::\n';
    const { tree, diagnostics } = runRemark(remarkContainers, pandocDivsAsDirectives(md), { warnUnknown: false });
    expect(shape(tree.children)).toEqual(
      shape([h('blockquote.epigraph', [h('p', 'Words.')]), h('aside.note', [h('p', 'A note.')]), h('div.Warning#w', [h('p', 'Careful.')])]),
    );
    expect(diagnostics).toEqual([]);
  });
});
