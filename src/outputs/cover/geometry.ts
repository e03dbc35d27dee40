/**
 * The geometry of a full-wrap cover: one sheet holding back cover, spine and front cover side by side,
 * with bleed on the four outer edges. The spine is as thick as the interior: page count × the paper's
 * thickness per page (`print.paper`, `print.spine-per-page`). All lengths in points, origin bottom-left.
 */
import type { Book } from '../../model/book.ts';

/** Cover bleed when book.yaml sets none: 0.125 in, what KDP and IngramSpark ask of every cover. */
export const DEFAULT_COVER_BLEED_PT = 9;
/** Text and barcode keep this far inside the trim and the spine folds (KDP and IngramSpark: 0.125 in+). */
export const SAFE_MARGIN_PT = 18;
/** KDP allows spine text only on books of more than 79 pages; thinner spines cannot hold type that stays on them. */
export const MIN_SPINE_TEXT_PAGES = 80;
/** KDP keeps spine text 0.0625 in clear of each fold. */
export const SPINE_TEXT_CLEARANCE_PT = 4.5;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CoverGeometry {
  pageCount: number;
  bleedPt: number;
  trimWidthPt: number;
  trimHeightPt: number;
  spinePt: number;
  /** The whole sheet: 2 × trim width + spine + 2 × bleed by trim height + 2 × bleed. */
  sheet: { width: number; height: number };
  /** The trimmed wrap, inside the bleed. */
  trim: Box;
  back: Box;
  spine: Box;
  front: Box;
  /** Where text and the barcode may go on the back and front. */
  backSafe: Box;
  frontSafe: Box;
  /** The spine's text, when the book is thick enough for any. */
  spineText?: Box;
}

export function spineWidthPt(pageCount: number, pagePt: number): number {
  return pageCount * pagePt;
}

export function coverGeometry(book: Book, pageCount: number): CoverGeometry {
  const { trim, bleedPt: interiorBleed, pagePt } = book.metadata.print;
  const bleedPt = interiorBleed > 0 ? interiorBleed : DEFAULT_COVER_BLEED_PT;
  const spinePt = spineWidthPt(pageCount, pagePt);
  const w = trim.widthPt;
  const h = trim.heightPt;
  const back: Box = { x: bleedPt, y: bleedPt, width: w, height: h };
  const spine: Box = { x: bleedPt + w, y: bleedPt, width: spinePt, height: h };
  const front: Box = { x: bleedPt + w + spinePt, y: bleedPt, width: w, height: h };
  const inset = (b: Box, m: number): Box => ({ x: b.x + m, y: b.y + m, width: b.width - 2 * m, height: b.height - 2 * m });
  const textWidth = spinePt - 2 * SPINE_TEXT_CLEARANCE_PT;
  return {
    pageCount,
    bleedPt,
    trimWidthPt: w,
    trimHeightPt: h,
    spinePt,
    sheet: { width: 2 * w + spinePt + 2 * bleedPt, height: h + 2 * bleedPt },
    trim: { x: bleedPt, y: bleedPt, width: 2 * w + spinePt, height: h },
    back,
    spine,
    front,
    backSafe: inset(back, SAFE_MARGIN_PT),
    frontSafe: inset(front, SAFE_MARGIN_PT),
    ...(pageCount >= MIN_SPINE_TEXT_PAGES && textWidth > 0
      ? { spineText: { x: spine.x + SPINE_TEXT_CLEARANCE_PT, y: spine.y + SAFE_MARGIN_PT, width: textWidth, height: h - 2 * SAFE_MARGIN_PT } }
      : {}),
  };
}
