import { describe, expect, it } from 'vitest';
import { formatGroup, groupByCode, warning } from '../../src/diagnostics.ts';

const glyph = (line: number, ch: string) =>
  warning('pdf/missing-glyph', `no shipped font has "${ch}"`, { file: '/book/a.md', line, column: 1 }, 'Replace the character.');

describe('grouped warnings', () => {
  it('groups by code, in the order first found', () => {
    const list = [glyph(1, '├'), warning('markdown/unknown-language', 'no grammar for "rust,ignore"'), glyph(2, '─'), glyph(9, '└')];
    expect(groupByCode(list).map((g) => [g[0]?.code, g.length])).toEqual([
      ['pdf/missing-glyph', 3],
      ['markdown/unknown-language', 1],
    ]);
  });

  it('prints one line per code with the count and the first three places, then the hint once', () => {
    const group = [1, 2, 9, 12, 40].map((line) => glyph(line, '├'));
    expect(formatGroup(group, '/book')).toBe(
      'a.md:1:1: warning: no shipped font has "├" [pdf/missing-glyph] (5 like this at a.md:1:1, 2:1, 9:1 and 2 more; --verbose shows each)\n  hint: Replace the character.',
    );
  });

  it('prints a single warning as it is', () => {
    expect(formatGroup([glyph(3, '├')], '/book')).toBe('a.md:3:1: warning: no shipped font has "├" [pdf/missing-glyph]\n  hint: Replace the character.');
  });
});
