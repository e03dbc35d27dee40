import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { textFacts } from '../../src/pipeline/text-facts.ts';
import { root } from './helpers.ts';

describe('text-facts', () => {
  it('collects every character shown, alt text included, sorted', () => {
    const facts = textFacts([root(h('p', ['ba', h('img', { alt: 'é' })]))]);
    expect(facts.codePoints.map((c) => String.fromCodePoint(c)).join('')).toBe('abé');
    expect(facts).toMatchObject({ code: false, math: false });
  });

  it('keeps apart the characters of code and those set in bold', () => {
    const facts = textFacts([root(h('h2', ['Ab', h('code', 'x')]), h('p', ['c', h('strong', 'd'), h('pre', [h('code', '├')])]))]);
    const chars = (cps: number[]) => cps.map((c) => String.fromCodePoint(c)).join('');
    expect(chars(facts.codePoints)).toBe('Abcd');
    expect(chars(facts.monoCodePoints)).toBe('x├');
    expect(chars(facts.boldCodePoints)).toBe('Abdx');
  });

  it('notices code and math anywhere, in notes too', () => {
    expect(textFacts([root(h('p', 'x')), h('div', [h('p', [h('kbd', 'Ctrl')])])]).code).toBe(true);
    expect(textFacts([root(h('p', [h('math', [h('mi', 'x')])]))]).math).toBe(true);
  });
});
