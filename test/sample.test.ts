/**
 * The sample book is the article in test/fixtures/sample-seed.txt, and its words must stay intact: every word of the
 * seed, in order, is in the web edition, except the lines moved into book.yaml (date, source URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { buildBook, loadManuscript } from '../src/index.ts';
import { SAMPLE_BOOK } from './helpers/temp-book.ts';

const SEED = path.resolve(import.meta.dirname, 'fixtures/sample-seed.txt');

/** Words with punctuation normalised: smart quotes and soft hyphens are typography, not text. */
function words(text: string): string[] {
  return text
    .replace(/\u00ad/g, '')
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_#>]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^-$/, ''))
    .filter(Boolean);
}

describe('sample book', () => {
  it('keeps the seed article word for word', async () => {
    const seed = fs
      .readFileSync(SEED, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== 'October 24, 2010' && !line.startsWith('Original url:'))
      .join('\n');
    const book = await buildBook(loadManuscript(SAMPLE_BOOK));
    const built = book.chapters.map((c) => hastToString(c.hast as Root)).join('\n');
    expect(words(built)).toEqual(words(seed));
  });

  it('moves the metadata into book.yaml', async () => {
    const { metadata } = await buildBook(loadManuscript(SAMPLE_BOOK));
    expect(metadata).toMatchObject({
      title: 'The NATO and Russia Embrace',
      creators: [{ name: 'Anders Fogh Rasmussen', role: 'author' }],
      date: '2010-10-24',
      language: 'en',
      source: 'https://www.themoscowtimes.com/2010/10/24/the-nato-and-russia-embrace-a2441',
    });
  });

  it('turns the empty author link into plain text with a warning', async () => {
    const book = await buildBook(loadManuscript(SAMPLE_BOOK));
    expect(book.diagnostics).toMatchObject([{ code: 'link/empty', severity: 'warning', location: { line: 3, column: 4 } }]);
  });
});
