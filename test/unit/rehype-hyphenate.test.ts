import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { hyphenatorFor } from '../../src/pipeline/language.ts';
import { rehypeHyphenate } from '../../src/pipeline/rehype-hyphenate.ts';
import { root, runRehype } from './helpers.ts';

/** A fake hyphenator that marks every word it is given, so the test sees exactly which words it got. */
const mark = (word: string) => `<${word}>`;

describe('rehype-hyphenate', () => {
  it('hyphenates words of six letters or more in running text, keeping spacing exactly', () => {
    const { tree } = runRehype(rehypeHyphenate, root(h('p', 'A  common\tfellow is\nwonderful')), mark);
    expect(tree).toEqual(root(h('p', 'A  <common>\t<fellow> is\n<wonderful>')));
  });

  it('skips code, math, headings, URLs, e-mail addresses and paths', () => {
    const input = root(
      h('h2', 'Headings stay whole'),
      h('p', [h('code', 'variable'), ' ', h('pre', 'preformatted'), ' ', h('span.katex', 'formula')]),
      h('p', 'https://example.org/longer someone@example.org /usr/local/bin www.example'),
    );
    expect(runRehype(rehypeHyphenate, structuredClone(input), mark).tree).toEqual(input);
  });

  it('uses the real Liang patterns for English', () => {
    const hyphenate = hyphenatorFor('en') as (t: string) => string;
    const { tree } = runRehype(rehypeHyphenate, root(h('p', 'hyphenation')), hyphenate);
    expect(tree).toEqual(root(h('p', 'hy\u00adphen\u00adation')));
  });
});
