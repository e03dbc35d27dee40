/**
 * A typographic cover for a book that has no `cover` image: title, subtitle, authors and publisher on
 * a plain ground, 1600×2560 px (the 1:1.6 size stores ask for), as a PNG. Stores reject an EPUB
 * without a cover and reading apps otherwise draw their own from whatever page comes first.
 *
 * A raster, not an SVG cover: EPUB 3 allows SVG, but store ingestion and many readers (Kindle
 * conversion, older Kobo and Adobe RMSDK devices, calibre's thumbnails) want a PNG or JPEG. The type
 * is set by the Chromium the PDF already uses, with the book's shipped font subsets and its
 * language's font stack, so every script, right-to-left titles and line breaking come out as on the
 * print cover; no JavaScript rasteriser sets Arabic, Devanagari or CJK with these fonts, and drawing
 * glyphs by hand would be a typesetter of our own. Chromium's software rasteriser gives the same
 * bytes for the same page and Chromium version (the build records that version like the PDF's).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { findBrowser } from '../../browser/find-browser.ts';
import { chapterCacheDir, DiskCache } from '../../disk-cache.ts';
import { fontFaceCss, fontStackCss } from '../../fonts/css.ts';
import type { Book } from '../../model/book.ts';
import { codeVersion } from '../../pipeline/chapter-cache.ts';
import { creatorsLine } from '../parts.ts';
import type { ScreenshotRequest } from '../pdf/session.ts';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;
/** Model-style name of the generated image inside the EPUB; "generated" tells it from an author's cover. */
export const GENERATED_COVER_HREF = 'images/cover-generated.png';

/** The words on the cover, in reading order; empty parts are left out. */
export function coverLines(book: Book): { title: string; subtitle?: string; authors?: string; publisher?: string } {
  const m = book.metadata;
  const authors = creatorsLine(book);
  return {
    title: m.title,
    ...(m.subtitle ? { subtitle: m.subtitle } : {}),
    ...(authors ? { authors } : {}),
    ...(m.publisher ? { publisher: m.publisher } : {}),
  };
}

/**
 * Title size in CSS px: as large as 150 px, smaller for long titles so that the title keeps to about
 * the upper half of the cover (the area a title of n characters needs grows with n × size²).
 */
export function titleSize(title: string): number {
  const chars = Math.max(1, [...title].length);
  return Math.round(Math.max(56, Math.min(150, 1150 / Math.sqrt(chars))));
}

export function coverHtml(book: Book): { html: string; allowedRoots: string[] } {
  const m = book.metadata;
  const lines = coverLines(book);
  const faces = book.assets.flatMap((a) => (a.kind === 'font' && a.face ? [{ ...a.face, asset: a }] : []));
  const size = titleSize(lines.title);
  const css = `${fontFaceCss(faces, (f) => pathToFileURL(f.asset.sourcePath).href)}
${fontStackCss(m.language, 'print')}
html, body { margin: 0; padding: 0; }
body { width: ${COVER_WIDTH}px; height: ${COVER_HEIGHT}px; overflow: hidden; background: #f4efe6; color: #1f1b16;
  font-family: var(--text-font); font-kerning: normal; text-rendering: geometricPrecision; }
.front { box-sizing: border-box; width: 100%; height: 100%; padding: 500px 170px 210px; display: flex; flex-direction: column;
  align-items: center; text-align: center; border: 28px solid #1f1b16; box-shadow: inset 0 0 0 36px #f4efe6, inset 0 0 0 42px #1f1b16; }
.front p { margin: 0; max-width: 100%; text-wrap: balance; overflow-wrap: anywhere; hyphens: manual; }
.title { font-size: ${size}px; font-weight: 600; line-height: 1.12; }
.subtitle { font-size: ${Math.round(size * 0.42)}px; font-style: italic; line-height: 1.3; margin-top: 1.1em !important; }
.rule { width: 220px; height: 0; border-top: 5px solid #7a2e12; margin: 120px 0; flex: none; }
.authors { font-size: 84px; line-height: 1.25; }
.publisher { margin-top: auto !important; font-size: 52px; letter-spacing: 0.08em; }
`;
  const parts: Element[] = [h('p.title', lines.title)];
  if (lines.subtitle) parts.push(h('p.subtitle', lines.subtitle));
  parts.push(h('div.rule'));
  if (lines.authors) parts.push(h('p.authors', lines.authors));
  if (lines.publisher) parts.push(h('p.publisher', lines.publisher));
  const doc = h('html', { lang: m.language, dir: m.direction }, [
    h('head', [h('meta', { charset: 'utf-8' }), h('title', m.title), h('style', css)]),
    h('body', [h('main.front', parts)]),
  ]);
  return { html: `<!doctype html>${toHtml(doc)}`, allowedRoots: [...new Set(faces.map((f) => path.dirname(f.asset.sourcePath)))] };
}

/**
 * Covers drawn in this process, by their page: the same page gives the same bytes, so a rebuild (watch,
 * check after build, tests) reuses them instead of starting a browser again.
 */
const drawn = new Map<string, Uint8Array>();
const DRAWN_KEPT = 16;

/** Whether the cover of `book` is already drawn in this process (no browser needed then). */
export function coverDrawn(book: Book): boolean {
  return drawn.has(coverHtml(book).html);
}

/**
 * The key of a drawn cover on disk: everything that shapes its pixels. The page holds the words, the
 * CSS and the font files' paths; the font files themselves and the browser that draws are named by
 * size and modification time (an update of either replaces the file, and so the key); `codeVersion`
 * names Colophon. Undefined when no browser can be named (then nothing is read or written).
 */
async function diskKey(page: { html: string; allowedRoots: string[] }, book: Book): Promise<string | undefined> {
  let executable: string | undefined;
  try {
    executable = (await findBrowser())?.executablePath;
  } catch {
    executable = undefined;
  }
  if (!executable) return undefined;
  const hash = createHash('sha256').update(`cover 1\0${COVER_WIDTH}x${COVER_HEIGHT}\0${codeVersion()}\0${page.html}\0`);
  const files = [executable, ...book.assets.flatMap((a) => (a.kind === 'font' && a.face ? [a.sourcePath] : []))];
  try {
    for (const file of files) {
      const real = fs.realpathSync(file);
      const stat = fs.statSync(real);
      hash.update(`${real}\0${stat.size}\0${stat.mtimeMs}\0`);
    }
  } catch {
    return undefined;
  }
  return `cover-${hash.digest('hex').slice(0, 40)}`;
}

/**
 * The cover as PNG bytes: from this process's memory, else from the disk cache (the chapter cache's
 * folder: bounded, `cache clear` empties it; `diskCache: false` with `--no-cache`), else drawn by
 * `draw` (never called when `coverDrawn`). Starting Chromium to draw it was most of a warm
 * `build -t html,epub` (1.4 s of 3.7 s for Pride and Prejudice).
 */
export async function drawTypographicCover(
  book: Book,
  draw: (page: ScreenshotRequest) => Promise<Uint8Array>,
  options: { diskCache?: boolean } = {},
): Promise<Uint8Array> {
  const page = coverHtml(book);
  const known = drawn.get(page.html);
  if (known) return known;
  const key = options.diskCache === false ? undefined : await diskKey(page, book);
  const disk = key ? new DiskCache(chapterCacheDir()) : undefined;
  const kept = key ? disk?.read(key) : undefined;
  let png = kept ? fromStored(kept) : undefined;
  if (!png) {
    png = await draw({ ...page, width: COVER_WIDTH, height: COVER_HEIGHT });
    if (key && disk) {
      disk.write(key, JSON.stringify({ png: Buffer.from(png).toString('base64') }));
      disk.evictIfWritten();
    }
  }
  if (drawn.size >= DRAWN_KEPT) drawn.delete(drawn.keys().next().value as string);
  drawn.set(page.html, png);
  return png;
}

/** A stored cover, or undefined when the entry is not a whole PNG (then it is drawn again and overwritten). */
function fromStored(json: string): Uint8Array | undefined {
  try {
    const png = Buffer.from((JSON.parse(json) as { png?: string }).png ?? '', 'base64');
    const signature = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const ends = png.subarray(-8, -4).toString('latin1') === 'IEND';
    return signature && ends ? new Uint8Array(png) : undefined;
  } catch {
    return undefined;
  }
}
