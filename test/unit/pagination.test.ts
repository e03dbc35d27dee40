/** Folio arithmetic and the unmeasured-heading error (recto openings are the page builder's: page-builder.test.ts). */
import { describe, expect, it } from 'vitest';
import type { Book, Chapter, TocEntry } from '../../src/model/book.ts';
import { folioOf, toRoman } from '../../src/outputs/pdf/pagination.ts';
import { unmeasuredError } from '../../src/outputs/pdf/unmeasured.ts';

const chapter = (id: string): Chapter => ({ id, title: id, level: 1, source: `${id}.md`, hast: { type: 'root', children: [] }, footnotes: [] });
const entry = (id: string, chapterId: string, depth: 1 | 2, children: TocEntry[] = []): TocEntry => ({ id, chapterId, depth, title: id, children });

/** Two chapters; the second has a section. Only what pagination reads is filled in. */
const book = {
  chapters: [chapter('one'), chapter('two')],
  toc: [entry('one-h', 'one', 1), entry('two-h', 'two', 1, [entry('two-s', 'two', 2)])],
} as unknown as Book;

describe('pagination arithmetic', () => {
  it('writes roman folios before the first chapter and arabic from 1 at it', () => {
    expect([1, 4, 9, 14, 40, 1994].map(toRoman)).toEqual(['i', 'iv', 'ix', 'xiv', 'xl', 'mcmxciv']);
    expect([0, 3, 6, 7, 8].map((p) => folioOf(p, 6))).toEqual(['i', 'iv', '1', '2', '3']);
  });

  it('turns a heading the print did not place into an error naming the heading, its file and line', () => {
    const heading = {
      type: 'element',
      tagName: 'h2',
      properties: { id: 'two-s' },
      children: [],
      position: { start: { line: 7, column: 1 }, end: { line: 7, column: 9 } },
    };
    const withHeading = {
      ...book,
      root: '/book',
      chapters: [chapter('one'), { ...chapter('two'), hast: { type: 'root', children: [heading] } }],
    } as unknown as Book;
    const d = unmeasuredError(withHeading, 'two-s');
    expect(d).toMatchObject({ severity: 'error', code: 'pdf/unmeasured-heading', location: { file: '/book/two.md', line: 7 } });
    expect(d.message).toContain('"two-s" (#two-s)');
    expect(unmeasuredError(withHeading, 'contents')).toMatchObject({ severity: 'error', code: 'pdf/unmeasured' });
  });
});
