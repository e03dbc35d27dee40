import { describe, expect, it } from 'vitest';
import { splitByHeadings } from '../../src/pipeline/split-chapters.ts';

describe('split-chapters', () => {
  it('splits at the shallowest heading level and shifts it to h1', () => {
    const chunks = splitByHeadings('## One\ntext\n### Sub\n## Two\nmore\n', undefined);
    expect(chunks.map((c) => [c.title, c.startLine, c.shift])).toEqual([
      ['One', 0, 1],
      ['Two', 3, 1],
    ]);
    expect(chunks[0]?.text).toBe('## One\ntext\n### Sub\n\n\n');
  });

  it('splits at the level given, keeps text before the first heading as its own chunk', () => {
    const chunks = splitByHeadings('Foreword text.\n\n# Book\n## A\na\n## B\nb\n', 2);
    expect(chunks.map((c) => c.title)).toEqual(['', 'A', 'B']);
    expect(chunks[0]?.text).toContain('# Book');
  });

  it('does not split at heading-like lines inside fenced code', () => {
    const chunks = splitByHeadings('# A\n```sh\n# not a heading\n```\n# B\n', undefined);
    expect(chunks.map((c) => c.title)).toEqual(['A', 'B']);
  });

  it('gives every chunk every link and footnote definition of the file', () => {
    const md = '# A\nSee [x][r] and note[^n].\n# B\nAgain [x][r].\n\n[r]: https://example.org\n[^n]: The note\n    goes on.\n';
    const [a, b] = splitByHeadings(md, undefined);
    for (const chunk of [a, b]) {
      expect(chunk?.text).toContain('[r]: https://example.org');
      expect(chunk?.text).toContain('[^n]: The note\n    goes on.');
    }
    // The definitions are not also left in the last chapter's own text.
    expect(b?.text.indexOf('[r]:')).toBe(b?.text.lastIndexOf('[r]:'));
  });

  it('drops chunks that are only blank lines', () => {
    expect(splitByHeadings('\n\n# A\nx\n', undefined).map((c) => c.title)).toEqual(['A']);
  });
});
