/**
 * Recto openings and page numbers, computed from a measured print. Chromium treats `break-before:
 * right` as a plain page break, so blank versos are inserted as elements; with mirrored margins the
 * text block has the same width on both sides, so a chapter's length does not depend on where it
 * starts, and one measuring print is enough to place every blank and number every contents entry.
 * The caller prints again with the plan and checks the result against it.
 */
import type { Book } from '../../model/book.ts';
import type { Measurement } from './measure.ts';
import { FRONT_BLOCKS, type PaginationPlan, printedTocEntries } from './print-html.ts';

export function rectoIds(book: Book): string[] {
  return [...FRONT_BLOCKS, ...book.chapters.map((c) => c.id)];
}

export function toRoman(n: number): string {
  const table: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  let rest = n;
  for (const [value, letters] of table) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/** The printed folio of a page: roman before the first chapter, arabic from it (starting at 1). */
export function folioOf(pageIndex: number, firstChapterPage: number): string {
  return pageIndex >= firstChapterPage ? String(pageIndex - firstChapterPage + 1) : toRoman(pageIndex + 1);
}

/** The measuring print has no destination for `id`: its page cannot be known. */
export class PaginationError extends Error {
  constructor(readonly id: string) {
    super(`no destination for #${id} in the measuring print`);
  }
}

export function planFrom(book: Book, printed: Measurement, used: PaginationPlan): PaginationPlan {
  const ids = rectoIds(book);
  const page = (id: string): number => {
    const landing = printed.landings.get(id);
    if (!landing) throw new PaginationError(id);
    return landing.page;
  };
  // Where each recto block would land without the blanks the measured print had.
  const blanksUpTo = (plan: PaginationPlan, id: string) => ids.slice(0, ids.indexOf(id) + 1).filter((r) => plan.blanksBefore.has(r)).length;
  const blanksBefore = new Set<string>();
  let added = 0;
  for (const id of ids) {
    const natural = page(id) - blanksUpTo(used, id);
    if ((natural + added) % 2 === 1) {
      blanksBefore.add(id);
      added++;
    }
  }
  const next: PaginationPlan = { blanksBefore };
  const finalPage = (id: string, chapterId: string) => page(id) - blanksUpTo(used, chapterId) + blanksUpTo(next, chapterId);
  const first = book.chapters[0];
  if (!first) return { blanksBefore, tocNumbers: new Map() };
  const firstPage = finalPage(first.id, first.id);
  const tocNumbers = new Map<string, string>();
  for (const entry of printedTocEntries(book)) {
    tocNumbers.set(entry.id, folioOf(finalPage(entry.id, entry.chapterId), firstPage));
  }
  return { blanksBefore, tocNumbers };
}

export function samePlan(a: PaginationPlan, b: PaginationPlan): boolean {
  const setEq = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  const mapEq = (x?: Map<string, string>, y?: Map<string, string>) => (x?.size ?? 0) === (y?.size ?? 0) && [...(x ?? [])].every(([k, v]) => y?.get(k) === v);
  return setEq(a.blanksBefore, b.blanksBefore) && mapEq(a.tocNumbers, b.tocNumbers);
}
