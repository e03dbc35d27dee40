import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { hyphenatorFor } from '../../src/hyphenation/patterns.ts';
import { insertSoftHyphens } from '../../src/hyphenation/soft-hyphens.ts';
import { root } from './helpers.ts';

/** A fake hyphenator that marks every word it is given, so the test sees exactly which words it got. */
const mark = (word: string) => `<${word}>`;

function hyphenated(tree: ReturnType<typeof root>, hyphenate = mark) {
  insertSoftHyphens(tree, hyphenate);
  return tree;
}

describe('soft hyphens (print document)', () => {
  it('hyphenates words of six letters or more in running text, keeping spacing exactly', () => {
    expect(hyphenated(root(h('p', 'A  common\tfellow is\nwonderful')))).toEqual(root(h('p', 'A  <common>\t<fellow> is\n<wonderful>')));
  });

  it('skips code, math, headings, URLs, e-mail addresses and paths', () => {
    const input = root(
      h('h2', 'Headings stay whole'),
      h('p', [h('code', 'variable'), ' ', h('pre', 'preformatted'), ' ', h('span.katex', 'formula')]),
      h('p', 'https://example.org/longer someone@example.org /usr/local/bin www.example'),
    );
    expect(hyphenated(structuredClone(input))).toEqual(input);
  });

  it('uses the real Liang patterns for English', () => {
    expect(hyphenated(root(h('p', 'hyphenation')), hyphenatorFor('en'))).toEqual(root(h('p', 'hy\u00adphen\u00adation')));
  });

  it('finds patterns for the language or its primary tag, none when there are none', () => {
    // British patterns for en-GB, US ones for plain en (as TeX does).
    expect(hyphenatorFor('en-GB')?.('hyphenation')).toBe('hy\u00adphen\u00ada\u00adtion');
    expect(hyphenatorFor('en')?.('hyphenation')).toBe('hy\u00adphen\u00adation');
    expect(hyphenatorFor('de-AT')?.('Silbentrennung')).toBe(hyphenatorFor('de')?.('Silbentrennung'));
    expect(hyphenatorFor('de')?.('Silbentrennung')).toContain('\u00ad');
    expect(hyphenatorFor('zz')).toBeUndefined();
  });
});
