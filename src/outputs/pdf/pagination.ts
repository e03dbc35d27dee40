/** Folios: lower-roman in the front matter, arabic from the first chapter (pages/furniture.ts places them). */

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
