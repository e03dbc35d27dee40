/** A real long book end to end: Pride and Prejudice, 121,607 words in one Markdown file. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { buildBook, loadManuscript } from '../src/index.ts';
import { html } from '../src/outputs/html.ts';
import { CORPUS, PRIDE_AND_PREJUDICE } from './helpers/temp-book.ts';

describe('Pride and Prejudice', () => {
  it('builds end to end into 61 chapters with every word', async () => {
    const book = buildBook(loadManuscript(PRIDE_AND_PREJUDICE));
    expect(book.metadata).toMatchObject({ title: 'Pride and Prejudice', creators: [{ name: 'Jane Austen' }], date: '1813' });
    expect(book.chapters).toHaveLength(61);
    expect(book.chapters.map((c) => c.title).slice(0, 2)).toEqual(['Chapter 1', 'Chapter 2']);
    expect(book.toc.map((e) => e.id).at(-1)).toBe('chapter-61');
    const words = book.chapters
      .map((c) => hastToString(c.hast as Root).replace(/\u00ad/g, ''))
      .join(' ')
      .split(/\s+/)
      .filter(Boolean);
    // 121,607 words in the source, less the title block and the 61 "Chapter N" headings' pairs.
    expect(words.length).toBeGreaterThan(121_000);
    expect(words.length).toBeLessThan(121_700);
    expect(book.diagnostics).toEqual([]);
    const out = Buffer.from(await html.render(book, { log: () => {}, warn: () => {} }))
      .toString('utf8')
      .replace(/\u00ad/g, '');
    expect(out).toContain('It is a truth universally acknowledged');
    expect(out.match(/<section class="chapter"/g)).toHaveLength(61);
  });
});

describe('the corpus', () => {
  it('holds the books byte for byte as they were found (test/corpus/SHA256SUMS)', () => {
    const sums = fs.readFileSync(path.join(CORPUS, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.length).toBeGreaterThan(60);
    for (const line of sums) {
      const [sum, file] = line.split(/\s+/) as [string, string];
      expect(
        createHash('sha256')
          .update(fs.readFileSync(path.join(CORPUS, file)))
          .digest('hex'),
        file,
      ).toBe(sum);
    }
  });
});
