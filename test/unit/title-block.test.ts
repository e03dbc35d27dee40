import { describe, expect, it } from 'vitest';
import { readTitleBlock } from '../../src/manuscript/title-block.ts';

describe('title block', () => {
  it('reads keys, creators with their roles and the rule after them, one YAML line per file line', () => {
    const text = '# Title: Anna Karenina\n\n## Author: Leo Tolstoy\nTranslated by Constance Garnett\n## Year: 1878\n\n-----\n\n## Part One\n';
    const block = readTitleBlock(text);
    expect(block?.yaml.split('\n')).toEqual([
      'title: "Anna Karenina"',
      '',
      'author: ["Leo Tolstoy", { name: "Constance Garnett", role: translator }]',
      '',
      'date: "1878"',
      '',
      '',
    ]);
    expect(block?.body).toBe('\n\n\n\n\n\n\n\n## Part One\n');
    expect(Object.fromEntries(block?.lines ?? [])).toEqual({ title: 1, author: 3, date: 5 });
  });

  it('needs a Title line, and stops at the first line that is not metadata', () => {
    expect(readTitleBlock('## Author: Someone\n\n# Chapter\n')).toBeUndefined();
    expect(readTitleBlock('# Title: T\n## Release Date: today\n')?.body).toBe('\n## Release Date: today\n');
  });
});
