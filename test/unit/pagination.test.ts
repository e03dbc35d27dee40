/** The recto-opening and page-number arithmetic of the print edition, on synthetic measurements. */
import { describe, expect, it } from 'vitest';
import type { Book, Chapter, TocEntry } from '../../src/model/book.ts';
import type { Measurement } from '../../src/outputs/pdf/measure.ts';
import { folioOf, PaginationError, planFrom, samePlan, toRoman } from '../../src/outputs/pdf/pagination.ts';
import { unmeasuredError } from '../../src/outputs/pdf/unmeasured.ts';

const chapter = (id: string): Chapter => ({ id, title: id, level: 1, source: `${id}.md`, hast: { type: 'root', children: [] }, footnotes: [] });
const entry = (id: string, chapterId: string, depth: 1 | 2, children: TocEntry[] = []): TocEntry => ({ id, chapterId, depth, title: id, children });

/** Two chapters; the second has a section. Only what pagination reads is filled in. */
const book = {
  chapters: [chapter('one'), chapter('two')],
  toc: [entry('one-h', 'one', 1), entry('two-h', 'two', 1, [entry('two-s', 'two', 2)])],
} as unknown as Book;

/** Page indexes (0-based) where each id landed in a print. */
const measured = (pages: Record<string, number>, pageCount = 20): Measurement => ({
  pageCount,
  scale: 1,
  landings: new Map(Object.entries(pages).map(([id, page]) => [id, { page, top: 0 }])),
});

describe('pagination arithmetic', () => {
  it('writes roman folios before the first chapter and arabic from 1 at it', () => {
    expect([1, 4, 9, 14, 40, 1994].map(toRoman)).toEqual(['i', 'iv', 'ix', 'xiv', 'xl', 'mcmxciv']);
    expect([0, 3, 6, 7, 8].map((p) => folioOf(p, 6))).toEqual(['i', 'iv', '1', '2', '3']);
  });

  it('inserts a blank verso before every recto block that would land on a verso', () => {
    // Page indexes: even is a recto. The title page (1) and both chapters (4, then 7) would open on versos.
    const first = measured({ 'half-title': 0, 'title-page': 1, contents: 3, one: 4, 'one-h': 4, two: 7, 'two-h': 7, 'two-s': 8 });
    const plan = planFrom(book, first, { blanksBefore: new Set() });
    // title-page 1 → blank → 2; contents 3+1=4 (recto); one 4+1=5 → blank → 6; two 7+2=9 → blank → 10.
    expect([...plan.blanksBefore].sort()).toEqual(['one', 'title-page', 'two']);
    expect(Object.fromEntries(plan.tocNumbers ?? [])).toEqual({ 'one-h': '1', 'two-h': '5', 'two-s': '6' });
  });

  it('gives the same plan when the print already followed it', () => {
    const first = measured({ 'half-title': 0, 'title-page': 1, contents: 3, one: 4, 'one-h': 4, two: 7, 'two-h': 7, 'two-s': 8 });
    const plan = planFrom(book, first, { blanksBefore: new Set() });
    // The second print has the three blanks in place: everything after each moved down.
    const second = measured({ 'half-title': 0, 'title-page': 2, contents: 4, one: 6, 'one-h': 6, two: 10, 'two-h': 10, 'two-s': 11 });
    expect(samePlan(planFrom(book, second, plan), plan)).toBe(true);
  });

  it('fails with a PaginationError naming an id the print has no destination for', () => {
    expect(() => planFrom(book, measured({ 'half-title': 0 }), { blanksBefore: new Set() })).toThrow(PaginationError);
    expect(() => planFrom(book, measured({ 'half-title': 0 }), { blanksBefore: new Set() })).toThrow('#title-page');
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

  it('compares plans by their blanks and numbers', () => {
    const a = { blanksBefore: new Set(['x']), tocNumbers: new Map([['h', '3']]) };
    expect(samePlan(a, { blanksBefore: new Set(['x']), tocNumbers: new Map([['h', '3']]) })).toBe(true);
    expect(samePlan(a, { blanksBefore: new Set(['x']), tocNumbers: new Map([['h', '4']]) })).toBe(false);
    expect(samePlan(a, { blanksBefore: new Set(), tocNumbers: new Map([['h', '3']]) })).toBe(false);
  });
});
