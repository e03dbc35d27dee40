/**
 * The cover sheet as one HTML page for Chromium, which sets its type (shipped fonts, kerning, line
 * breaking of the blurb) exactly as it sets the interior: the front (the `cover` image filling trim
 * and bleed, or a typographic front), the spine text turned to read top to bottom as on English-
 * language books, the back with the description and a white box where the barcode goes (the bars are
 * drawn as vectors afterwards, see barcode.ts). Positions come from geometry.ts, in points.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { fontFaceCss } from '../../fonts/css.ts';
import type { Book } from '../../model/book.ts';
import { creatorsLine } from '../parts.ts';
import { STYLES_DIR } from '../theme.ts';
import type { BarcodeLayout } from './barcode.ts';
import type { Box, CoverGeometry } from './geometry.ts';

export interface CoverPage {
  html: string;
  allowedRoots: string[];
}

const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;

export function spineLine(book: Book): string {
  const author = creatorsLine(book);
  return author ? `${book.metadata.title} \u2014 ${author}` : book.metadata.title;
}

/** Spine type size: as large as fits the spine's width and, roughly, its length (no word may be cut). */
export function spineFontSize(text: string, box: Box): number {
  const byWidth = box.width * 0.62;
  const byLength = box.height / (Math.max(1, [...text].length) * 0.52);
  return Math.max(5, Math.min(14, byWidth, byLength));
}

export function coverPage(book: Book, g: CoverGeometry, barcode: BarcodeLayout | undefined): CoverPage {
  const m = book.metadata;
  const sheetH = g.sheet.height;
  // CSS measures from the top, the geometry (like PDF) from the bottom.
  const place = (b: Box) => `left: ${pt(b.x)}; top: ${pt(sheetH - b.y - b.height)}; width: ${pt(b.width)}; height: ${pt(b.height)};`;
  const parts: Element[] = [];

  if (book.cover) {
    // The image fills the front's trim and its bleed on three sides.
    const area: Box = { x: g.front.x, y: 0, width: g.front.width + g.bleedPt, height: sheetH };
    parts.push(h('img.front-image', { src: pathToFileURL(book.cover.sourcePath).href, alt: '', style: place(area) }));
  } else {
    parts.push(
      h('div.front-type', { style: place(g.frontSafe) }, [
        h('p.cover-title', m.title),
        m.subtitle ? h('p.cover-subtitle', m.subtitle) : null,
        h('p.cover-author', creatorsLine(book)),
      ]),
    );
  }

  if (g.spineText) {
    const text = spineLine(book);
    const box = g.spineText;
    const size = spineFontSize(text, box);
    // A box as long as the spine, turned a quarter clockwise about its centre onto the spine.
    const cx = box.x + box.width / 2;
    const cy = sheetH - box.y - box.height / 2;
    parts.push(
      h(
        'div.spine-text',
        {
          style: `left: ${pt(cx - box.height / 2)}; top: ${pt(cy - box.width / 2)}; width: ${pt(box.height)}; height: ${pt(box.width)}; font-size: ${pt(size)};`,
        },
        text,
      ),
    );
  }

  const blurbBottom = barcode ? barcode.box.y + barcode.box.height + 18 : g.backSafe.y;
  const blurb: Box = { ...g.backSafe, y: blurbBottom, height: g.backSafe.y + g.backSafe.height - blurbBottom };
  if (m.description) parts.push(h('div.back-text', { style: place(blurb) }, [h('p', m.description)]));
  if (barcode) {
    parts.push(h('div.barcode-box', { style: place(barcode.box) }));
    parts.push(h('div.barcode-isbn', { style: `${place(barcode.caption)} font-size: ${pt(barcode.caption.height * 0.8)};` }, `ISBN ${barcode.digits}`));
    for (const d of barcode.humanReadable) {
      parts.push(h('div.barcode-digit', { style: `${place(d.box)} font-size: ${pt(d.box.height)};` }, d.text));
    }
  }

  const faces = book.assets.flatMap((a) => (a.face ? [{ ...a.face, asset: a }] : []));
  const css = `${fontFaceCss(faces, (f) => pathToFileURL(f.asset.sourcePath).href)}
@page { size: ${pt(g.sheet.width)} ${pt(sheetH)}; margin: 0; }
html, body { margin: 0; padding: 0; }
body { position: relative; width: ${pt(g.sheet.width)}; height: ${pt(sheetH)}; overflow: hidden; background: #fff; color: #000;
  font-family: 'Source Serif 4', 'Noto Serif', serif; font-kerning: normal; }
body > * { position: absolute; box-sizing: border-box; margin: 0; }
.front-image { object-fit: cover; ${m.print.color === 'gray' ? 'filter: grayscale(1);' : ''} }
.front-type { display: flex; flex-direction: column; justify-content: center; text-align: center; }
.front-type p { margin: 0; text-wrap: balance; }
.cover-title { font-size: ${pt(Math.min(40, g.trimWidthPt / 9))}; font-weight: 600; line-height: 1.15; }
.cover-subtitle { font-size: ${pt(Math.min(18, g.trimWidthPt / 22))}; font-style: italic; margin-top: 0.8em !important; }
.cover-author { font-size: ${pt(Math.min(20, g.trimWidthPt / 20))}; margin-top: 3em !important; }
.spine-text { transform: rotate(90deg); display: flex; align-items: center; justify-content: center; white-space: nowrap; font-weight: 600; }
.back-text { font-size: 11pt; line-height: 1.4; text-align: left; hyphens: manual; }
.barcode-box { background: #fff; }
.barcode-isbn, .barcode-digit { font-family: 'JetBrains Mono', monospace; text-align: center; line-height: 1; white-space: nowrap; }
`;
  const doc = h('html', { lang: m.language }, [h('head', [h('meta', { charset: 'utf-8' }), h('title', m.title), h('style', css)]), h('body', parts)]);
  const fontDirs = [...new Set(faces.map((f) => path.dirname(f.asset.sourcePath)))];
  return {
    html: `<!doctype html>${toHtml(doc)}`,
    allowedRoots: [book.root, STYLES_DIR, ...fontDirs],
  };
}
