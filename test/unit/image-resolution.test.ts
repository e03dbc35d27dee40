import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBook } from '../../src/book-pass/build-book.ts';
import { imageResolutions, sizedWidthIn } from '../../src/check/findings.ts';
import { loadManuscript } from '../../src/manuscript/load.ts';
import { pageGeometry, textBlock } from '../../src/outputs/pdf/page-css.ts';

describe('printed width of a sized image (for the resolution check)', () => {
  it('reads width (a percentage of the text block) and max-width from the image style', () => {
    expect(sizedWidthIn('', 6.25, 4.5)).toBe(6.25);
    expect(sizedWidthIn('width: 50%', 6.25, 4.5)).toBe(2.25);
    expect(sizedWidthIn('width: 288px', 6.25, 4.5)).toBe(3);
    expect(sizedWidthIn('width: 30%; max-width: 1in', 6, 4)).toBe(1);
    expect(sizedWidthIn('max-width: 192px', 6, 4)).toBe(2);
    // em depends on the font: treated as the natural size.
    expect(sizedWidthIn('width: 2em', 6, 4)).toBe(6);
  });

  it('judges an image printed at 60% of the text block at that width', async () => {
    const book = await buildBook(loadManuscript(path.resolve(import.meta.dirname, '../fixtures/pandoc-book')), { env: {} });
    const blockIn = textBlock(pageGeometry(book)).widthPt / 72;
    const rings = imageResolutions(book).find((r) => r.file.endsWith('rings.png'));
    expect(rings?.printedWidthIn).toBeCloseTo(0.6 * blockIn, 5);
    expect(rings?.dpi).toBeCloseTo(600 / (0.6 * blockIn), 3);
  });
});
