import { describe, expect, it } from 'vitest';
import { leadingAttributes, parseAttributes, trailingAttributes } from '../../src/pipeline/attributes.ts';

describe('Pandoc attribute syntax', () => {
  it('reads ids, classes, key=value pairs (quoted or not) and the {-} shorthand', () => {
    expect(parseAttributes('{#intro .unnumbered}')).toEqual({ id: 'intro', classes: ['unnumbered'], pairs: [] });
    expect(parseAttributes('{width=50%}')).toEqual({ classes: [], pairs: [['width', '50%']] });
    expect(parseAttributes('{ #a .b c="d e" f=\'g\' }')).toEqual({
      id: 'a',
      classes: ['b'],
      pairs: [
        ['c', 'd e'],
        ['f', 'g'],
      ],
    });
    expect(parseAttributes('{-}')).toEqual({ classes: ['unnumbered'], pairs: [] });
  });

  it('is not fooled by braces that are not attributes', () => {
    for (const text of ['{}', '{=html}', '{foo bar}', '{.a.b}', 'plain', '{#id', '{x=1}y']) expect(parseAttributes(text)).toBeUndefined();
  });

  it('finds a block at the start or the end of a text', () => {
    expect(leadingAttributes('{width=60%} and more')).toEqual({ attributes: { classes: [], pairs: [['width', '60%']] }, length: 11 });
    expect(leadingAttributes('{title="a } b"} x')?.length).toBe(15);
    expect(leadingAttributes('{not attributes} x')).toBeUndefined();
    expect(trailingAttributes('Intro {#intro}  ')).toEqual({ attributes: { id: 'intro', classes: [], pairs: [] }, start: 6 });
    expect(trailingAttributes('Sets {1, 2}')).toBeUndefined();
  });
});
