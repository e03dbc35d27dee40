/**
 * A long book is printed in parts. Chromium's print time grows faster than the page count of the
 * document it prints, whatever range is asked for: the generated 505k-word book (1,765 pages) took
 * 39.9 s for one print, 17–21 s for any 440-page `pageRanges` of it, and 15.6 s for all of it as
 * five prints of 400 pages each shown alone; Pride and Prejudice (418 pages) prints in 2.3 s at once
 * and 2.8 s in two parts. So parts are only made past MAX_PAGES_PER_PRINT pages, balanced, and each
 * starts on a recto (an even page index), so that `@page :left`/`:right` — the gutter — fall as in a
 * single print. Each part is printed by showing only its page boxes (a DOM update, no reload), and
 * the parts are joined into one PDF afterwards (join-prints.ts).
 *
 * The parts are printed by tabs that load a copy of the paginated document with every page box
 * hidden, two at a time where there are two cores (session.ts `printPrepared` says why this pays),
 * one tab elsewhere: always from the copy, so the bytes do not depend on the number of cores
 * (tested). The copy is laid out as the paginating tab was: the emission writes the numbers it
 * computes so that serialising keeps them exact (P&P in parts of 150 and the generated 505k-word
 * book printed the same bytes from the copy as from the paginating tab; through the CSSOM, 23 of
 * P&P's pages moved by a 64th of a pixel).
 */
import os from 'node:os';

/** Past this many pages a book is printed in parts (measured above: one print of 418 pages is cheaper than two). */
export const MAX_PAGES_PER_PRINT = 500;

/** [from, to) page index ranges covering `pageCount` pages: one range up to `maxPages`, else balanced, each from an even index. */
export function printParts(pageCount: number, maxPages: number = MAX_PAGES_PER_PRINT): [number, number][] {
  if (pageCount <= maxPages) return [[0, pageCount]];
  const count = Math.ceil(pageCount / Math.max(2, maxPages));
  // Each boundary is the even index nearest its share of the pages: parts differ by two pages at most.
  const bounds = Array.from({ length: count + 1 }, (_, k) => (k === count ? pageCount : Math.round((k * pageCount) / count / 2) * 2));
  const ranges: [number, number][] = [];
  for (let k = 0; k < count; k++) if ((bounds[k + 1] as number) > (bounds[k] as number)) ranges.push([bounds[k] as number, bounds[k + 1] as number]);
  return ranges;
}

/**
 * The DOM update that shows only pages [from, to): the page builder's frames are the body's
 * `div.page` children (pages/in-page.ts). Hidden, not taken out of the document: taken out, each
 * part printed faster (17.2 s against 19.2 s for the generated book), but Chromium writes a link
 * only when its target is in the document and names a destination only for a link it finds, so
 * links from one part into another were lost (a hidden link to every target kept the names but not
 * the links). Returns how many frames it saw.
 */
export function showPagesScript([from, to]: [number, number]): string {
  return `(() => { const frames = document.body.querySelectorAll(':scope > div.page'); frames.forEach((f, i) => { f.style.display = i >= ${from} && i < ${to} ? '' : 'none'; }); return frames.length; })()`;
}

/**
 * The paginated document as HTML, for the tabs that print its parts: the page boxes are already
 * hidden (the emission was told so), and the doctype is kept so the copy is laid out in the same mode.
 */
export const COPY_SCRIPT = `(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '') + document.documentElement.outerHTML`;

/**
 * Tabs printing parts at once: two where there are two cores. Not more: each tab holds the whole
 * book's DOM (memory), and with two the renderer and the print compositor already keep two cores busy.
 */
export function printLanes(parts: number, cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.min(parts, cores, 2));
}
