import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { remarkPandocMath } from '../../src/pipeline/remark-pandoc-math.ts';

/** Markdown → mdast, reduced to [type, value or children] so a case reads on one line. */
function parse(markdown: string): unknown {
  const processor = unified().use(remarkParse).use(remarkPandocMath);
  const tree = processor.runSync(processor.parse(markdown)) as Root;
  const shape = (node: { type: string; value?: string; children?: unknown[] }): unknown =>
    node.children ? [node.type, (node.children as (typeof node)[]).map(shape)] : [node.type, node.value];
  return (tree.children as Parameters<typeof shape>[0][]).map(shape);
}

const text = (value: string) => [['paragraph', [['text', value]]]];

describe('remark-pandoc-math', () => {
  it('leaves prices as text (Pandoc: no space after the opening $, no digit after the closing one)', () => {
    expect(parse('Deducting the outgoes: $23.44 - $14.72-1/2')).toEqual(text('Deducting the outgoes: $23.44 - $14.72-1/2'));
    expect(parse('$20,000 and $30,000')).toEqual(text('$20,000 and $30,000'));
    expect(parse('between $5 and $6.')).toEqual(text('between $5 and $6.'));
    expect(parse('US$5 and US$6')).toEqual(text('US$5 and US$6'));
    expect(parse('$x$5')).toEqual(text('$x$5'));
    expect(parse('$ x$ and $x $')).toEqual(text('$ x$ and $x $'));
  });

  it('reads $…$ as inline math', () => {
    expect(parse('Euler $e^{i\\pi} + 1 = 0$ sits')).toEqual([
      [
        'paragraph',
        [
          ['text', 'Euler '],
          ['inlineMath', 'e^{i\\pi} + 1 = 0'],
          ['text', ' sits'],
        ],
      ],
    ]);
    expect(parse('$a\nb$ c')).toEqual([
      [
        'paragraph',
        [
          ['inlineMath', 'a\nb'],
          ['text', ' c'],
        ],
      ],
    ]);
  });

  it('gives up on a span when whitespace comes before a $, as Pandoc does, and tries the next $', () => {
    expect(parse('costs $5 and $6 or x$ y')).toEqual([
      [
        'paragraph',
        [
          ['text', 'costs $5 and '],
          ['inlineMath', '6 or x'],
          ['text', ' y'],
        ],
      ],
    ]);
  });

  it('keeps \\$ a literal dollar, outside and inside math, and $ inside {…} groups', () => {
    expect(parse('a \\$x$ b')).toEqual(text('a $x$ b'));
    expect(parse('x $\\$5$ y')).toEqual([
      [
        'paragraph',
        [
          ['text', 'x '],
          ['inlineMath', '\\$5'],
          ['text', ' y'],
        ],
      ],
    ]);
    expect(parse('$a {$} b$')).toEqual([['paragraph', [['inlineMath', 'a {$} b']]]]);
  });

  it('reads $$…$$ as display math: a block when alone in its paragraph, inline otherwise', () => {
    expect(parse('$$\nx^2\n$$\n\nafter')).toEqual([
      ['math', 'x^2'],
      ['paragraph', [['text', 'after']]],
    ]);
    expect(parse('$$ x $$')).toEqual([['math', 'x']]);
    expect(parse('$$a$b$$')).toEqual([['math', 'a$b']]);
    expect(parse('a $$x^2$$ b')).toEqual([
      [
        'paragraph',
        [
          ['text', 'a '],
          ['inlineMath', 'x^2'],
          ['text', ' b'],
        ],
      ],
    ]);
  });

  it('never lets an unclosed $$ swallow the text after it', () => {
    expect(parse('$$5 million was paid.\n\nNext $x$.')).toEqual([
      ['paragraph', [['text', '$$5 million was paid.']]],
      [
        'paragraph',
        [
          ['text', 'Next '],
          ['inlineMath', 'x'],
          ['text', '.'],
        ],
      ],
    ]);
    expect(parse('$$$ wow $$$')).toEqual(text('$$$ wow $$$'));
  });
});
