/**
 * Where the ISBN's EAN-13 goes on the back cover and how it is drawn: bottom right of the back's safe
 * area (where KDP and IngramSpark leave room for it), at the nominal size (module 0.33 mm, bars
 * 22.85 mm, guard bars 5 modules longer), with the quiet zones (11 modules left, 7 right) inside a
 * white box, the digits below, and "ISBN …" above. The bars are filled rectangles drawn by pdf-lib,
 * so they stay vectors and a test can read them back from the content stream.
 */
import { grayscale, type PDFPage } from 'pdf-lib';
import { bars, ean13Modules } from './ean13.ts';
import type { Box } from './geometry.ts';

export const MODULE_PT = (0.33 / 25.4) * 72;
const BAR_HEIGHT_PT = (22.85 / 25.4) * 72;
const GUARD_EXTRA_PT = 5 * MODULE_PT;
const QUIET_LEFT = 11;
const QUIET_RIGHT = 7;
const DIGIT_PT = 8.5;
const CAPTION_PT = 9;

export interface BarcodeLayout {
  digits: string;
  modules: string;
  /** The white box: quiet zones, bars, digits and caption. */
  box: Box;
  /** Bottom-left of module 0 and the height of ordinary bars. */
  origin: { x: number; y: number };
  caption: Box;
  humanReadable: { text: string; box: Box }[];
}

const GUARDS = new Set([0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94]);

export function barcodeLayout(isbn: string, safe: Box): BarcodeLayout {
  const modules = ean13Modules(isbn);
  const width = (QUIET_LEFT + 95 + QUIET_RIGHT) * MODULE_PT;
  const height = DIGIT_PT + BAR_HEIGHT_PT + CAPTION_PT + 6;
  const box: Box = { x: safe.x + safe.width - width, y: safe.y, width, height };
  const origin = { x: box.x + QUIET_LEFT * MODULE_PT, y: box.y + DIGIT_PT + 1 };
  const digitBox = (text: string, fromModule: number, modulesWide: number) => ({
    text,
    box: { x: origin.x + fromModule * MODULE_PT, y: box.y + 1, width: modulesWide * MODULE_PT, height: DIGIT_PT },
  });
  return {
    digits: isbn,
    modules,
    box,
    origin,
    caption: { x: box.x, y: origin.y + BAR_HEIGHT_PT + 2, width, height: CAPTION_PT },
    humanReadable: [digitBox(isbn.slice(0, 1), -QUIET_LEFT + 2, 7), digitBox(isbn.slice(1, 7), 3, 42), digitBox(isbn.slice(7), 50, 42)],
  };
}

/** Draws the bars: one filled rectangle per run of dark modules; guard bars reach down between the digits. */
export function drawBarcode(page: PDFPage, layout: BarcodeLayout): void {
  for (const [start, width] of bars(layout.modules)) {
    const guard = GUARDS.has(start);
    page.drawRectangle({
      x: layout.origin.x + start * MODULE_PT,
      y: layout.origin.y - (guard ? GUARD_EXTRA_PT : 0),
      width: width * MODULE_PT,
      height: BAR_HEIGHT_PT + (guard ? GUARD_EXTRA_PT : 0),
      color: grayscale(0),
    });
  }
}
