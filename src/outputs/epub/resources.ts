/**
 * Everything the EPUB carries besides its documents, read into memory before anything is packed:
 * images under their stable model names, the shipped font subsets the text needs, and the style
 * sheet. A file that vanished or cannot be read since the model was built is an error here, never an
 * empty file in the archive, and nothing is ever fetched from the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { ColophonError, type Diagnostic, error } from '../../diagnostics.ts';
import { fontFaceCss, fontStackCss } from '../../fonts/css.ts';
import type { Asset, Book } from '../../model/book.ts';
import { svgForOutput } from '../../model/svg-prolog.ts';
import { chapterTrees, eachElement } from '../../model/trees.ts';
import { bookCss, hyphenationCss, themeCss } from '../theme.ts';

export interface Resource {
  /** Manifest id. */
  id: string;
  /** Path inside the content folder (`images/rings-1a2b3c4d5e.png`). */
  href: string;
  mediaType: string;
  data: Uint8Array;
  properties: string[];
}

/**
 * EPUBCheck 4.2.6 and epubcheck-ts both accept `font/woff2` (an EPUB 3.3 core media type) without a
 * message; `application/font-woff2` is not a core type and would make EPUBCheck report a foreign
 * resource.
 */
export const WOFF2_MEDIA_TYPE = 'font/woff2';

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

function readAsset(asset: Asset, what: string, problems: Diagnostic[]): Uint8Array | undefined {
  try {
    return fs.readFileSync(asset.sourcePath);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no longer exists' : `cannot be read (${(e as Error).message})`;
    problems.push(
      error(
        'epub/unreadable-asset',
        `the ${what} "${asset.href}" ${reason}`,
        { file: asset.sourcePath },
        'Restore the file (or fix the reference) and build again.',
      ),
    );
    return undefined;
  }
}

/** Every image the content points to must be a local asset of the model: EPUB readers get no network. */
export function checkImageSources(book: Book): Diagnostic[] {
  const known = new Set(book.assets.map((a) => a.href));
  const problems: Diagnostic[] = [];
  for (const chapter of book.chapters) {
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
        if (node.tagName !== 'img') return;
        const src = String(node.properties.src ?? '');
        const location = {
          file: path.join(book.root, chapter.source),
          ...(node.position ? { line: node.position.start.line, column: node.position.start.column } : {}),
        };
        if (REMOTE.test(src)) {
          problems.push(
            error(
              'epub/remote-image',
              `image "${src}" is not a local file; an EPUB cannot load images from the network`,
              location,
              'Download the image into the manuscript folder and refer to it by its relative path.',
            ),
          );
        } else if (!known.has(src)) {
          problems.push(
            error('epub/unknown-image', `image "${src}" is not one of the book's assets`, location, 'Refer to images by a path relative to the chapter file.'),
          );
        }
      });
    }
  }
  return problems;
}

function resourceId(prefix: string, href: string, taken: Set<string>): string {
  const base = `${prefix}-${path.posix.basename(href).replace(/[^A-Za-z0-9_-]/g, '-')}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

export interface Resources {
  images: Resource[];
  cover?: Resource;
  fonts: Resource[];
  css: string;
}

/** Reads images, cover and fonts; throws one ColophonError listing every problem found. */
export function collectResources(book: Book): Resources {
  const problems = checkImageSources(book);
  const ids = new Set<string>();
  const images: Resource[] = [];
  let cover: Resource | undefined;
  for (const asset of book.assets.filter((a) => a.kind === 'image')) {
    const isCover = book.cover?.href === asset.href;
    const read = readAsset(asset, isCover ? 'cover image' : 'image', problems);
    if (!read) continue;
    const data = asset.mediaType === 'image/svg+xml' ? svgForOutput(read) : read;
    if (data.byteLength === 0) {
      problems.push(error('epub/empty-asset', `the ${isCover ? 'cover image' : 'image'} "${asset.href}" is an empty file`, { file: asset.sourcePath }));
      continue;
    }
    const resource: Resource = {
      id: resourceId(isCover ? 'cover' : 'img', asset.href, ids),
      href: asset.href,
      mediaType: asset.mediaType,
      data,
      properties: isCover ? ['cover-image'] : [],
    };
    if (isCover) cover = resource;
    else images.push(resource);
  }
  // A cover that is not also one of the assets (the model lists it there, but be sure).
  if (book.cover && !cover && !book.assets.some((a) => a.href === book.cover?.href)) {
    const data = readAsset(book.cover, 'cover image', problems);
    if (data)
      cover = { id: resourceId('cover', book.cover.href, ids), href: book.cover.href, mediaType: book.cover.mediaType, data, properties: ['cover-image'] };
  }

  let styles = '';
  try {
    styles = bookCss(book);
  } catch (e) {
    problems.push(error('epub/unreadable-style', `a style sheet from book.yaml cannot be read (${(e as Error).message})`));
  }
  // The model chose the subsets the book's characters need (fonts/coverage.ts), code and notes included.
  const faces = book.assets.flatMap((a) => (a.kind === 'font' && a.face ? [{ ...a.face, asset: a }] : []));
  const fonts: Resource[] = [];
  for (const face of faces) {
    const data = readAsset(face.asset, 'font', problems);
    if (data) fonts.push({ id: resourceId('font', face.asset.href, ids), href: face.asset.href, mediaType: WOFF2_MEDIA_TYPE, data, properties: [] });
  }
  if (problems.length > 0) throw new ColophonError(problems);
  const css = [fontFaceCss(faces, (f) => f.asset.href), fontStackCss(book.metadata.language, 'epub'), themeCss('epub.css'), hyphenationCss(book), styles]
    .filter(Boolean)
    .join('\n');
  return { images, ...(cover ? { cover } : {}), fonts, css };
}
