/**
 * Images: every `<img>` of the content (and the cover) becomes an asset with a stable, content-hashed
 * name, after checking that the file is inside the manuscript, really is the image type its name
 * says, and, for SVG, that it can neither run nor fetch anything.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { type Diagnostic, error, type SourceLocation, warning } from '../diagnostics.ts';
import { describeRefusal, resolveInside } from '../manuscript/paths.ts';
import type { Asset } from '../model/book.ts';
import { detectImageType, IMAGE_TYPES, svgHead } from '../model/image-types.ts';
import { readSvgProlog } from '../model/svg-prolog.ts';
import { chapterTrees, eachElement } from '../model/trees.ts';
import type { ParsedChapter } from '../pipeline/chapters.ts';
import { chapterDir, elementLocation, type PassContext } from './context.ts';

/** Points every image of the content at its asset (`images/name-hash.png`); problems go to ctx. */
export function registerContentImages(parsed: ParsedChapter[], ctx: PassContext): void {
  for (const chapter of parsed) {
    const file = ctx.sourcePath(chapter.source);
    const dir = chapterDir(ctx, chapter.source);
    for (const tree of chapterTrees(chapter)) {
      eachElement(tree, (node: Element) => {
        if (node.tagName !== 'img') return;
        const asset = resolveImage(String(node.properties.src ?? ''), dir, elementLocation(file, node), ctx);
        if (asset) node.properties.src = asset.href;
      });
    }
  }
}

function resolveImage(src: string, dir: string, location: SourceLocation, ctx: PassContext): Asset | undefined {
  const { diagnostics } = ctx;
  if (src === '') {
    diagnostics.push(error('image/no-source', 'image has no source', location, 'Write ![description](images/file.png).'));
    return undefined;
  }
  if (/^https?:\/\//i.test(src)) {
    diagnostics.push(
      error(
        'image/remote',
        `remote image "${src}" is not fetched: a book must build without the network`,
        location,
        'Download the image into the manuscript folder and refer to it by a relative path.',
      ),
    );
    return undefined;
  }
  let resolved = resolveInside(ctx.root, dir, src);
  // Pandoc finds images from the folder it runs in, not the chapter's: look there too.
  for (const folder of ctx.resourceRoots) {
    if (resolved.ok || resolved.reason !== 'missing') break;
    const again = resolveInside(ctx.root, folder, src);
    if (again.ok) resolved = again;
  }
  if (!resolved.ok) {
    diagnostics.push(
      error(
        resolved.reason === 'missing' ? 'image/missing' : 'image/outside',
        `image "${src}" ${describeRefusal(resolved.reason)}`,
        location,
        resolved.reason === 'missing' ? 'Check the file name and path (relative to the chapter file).' : 'Images must be files inside the manuscript folder.',
      ),
    );
    return undefined;
  }
  return registerImage(resolved.path, src, location, ctx);
}

/** Adds an image file as an asset named by content hash, after checking it really is that image type. */
export function registerImage(file: string, written: string, location: SourceLocation, ctx: PassContext): Asset | undefined {
  const { diagnostics } = ctx;
  const existing = ctx.images.get(file);
  if (existing) return existing;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    diagnostics.push(
      error('image/unreadable', `image "${written}" cannot be read (${(e as NodeJS.ErrnoException).code})`, location, 'Check the file permissions.'),
    );
    return undefined;
  }
  const ext = path.extname(file).slice(1).toLowerCase();
  const declared = IMAGE_TYPES[ext];
  if (!declared) {
    diagnostics.push(
      error('image/unsupported', `image "${written}" has an unsupported type (.${ext})`, location, `Use one of: ${Object.keys(IMAGE_TYPES).join(', ')}.`),
    );
    return undefined;
  }
  const actual = detectImageType(bytes);
  const prolog = declared === 'image/svg+xml' && !actual ? readSvgProlog(svgHead(bytes)) : undefined;
  if (prolog && !prolog.ok) {
    diagnostics.push(
      error(
        prolog.unsafe ? 'image/unsafe-svg' : 'image/corrupt',
        `"${written}" is not a valid SVG image: ${prolog.reason}`,
        location,
        prolog.unsafe
          ? 'Export the SVG again as plain SVG, without entity declarations or style sheet links.'
          : 'Re-export the image; an SVG may start with an XML declaration, comments and a DOCTYPE, then <svg>.',
      ),
    );
    return undefined;
  }
  if (actual !== declared) {
    diagnostics.push(
      error(
        'image/corrupt',
        `"${written}" is not a valid ${ext.toUpperCase()} image${actual ? ` (its content is ${actual})` : ''}`,
        location,
        'Re-export the image, or give the file the extension that matches its format.',
      ),
    );
    return undefined;
  }
  if (declared === 'image/svg+xml' && !checkSvg(bytes.toString('utf8'), written, location, diagnostics)) return undefined;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const stem = path
    .basename(file, path.extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const asset: Asset = { kind: 'image', sourcePath: file, href: `images/${stem || 'image'}-${hash}.${ext === 'jpeg' ? 'jpg' : ext}`, mediaType: declared };
  ctx.images.set(file, asset);
  return asset;
}

/**
 * An SVG is a document, not just a picture: it can carry scripts, event handlers and references to
 * other files or the network. A book image may do none of that (EPUB readers and Chromium would run
 * or fetch it). Text in an SVG is drawn in whatever fonts the viewer has, not the book's.
 */
function checkSvg(text: string, written: string, location: SourceLocation, diagnostics: Diagnostic[]): boolean {
  const problems = [
    [/<script[\s>]/i, 'a <script>'],
    [/\son[a-z]+\s*=/i, 'an event handler (on…= attribute)'],
    [/<foreignObject[\s>]/i, 'a <foreignObject> (embedded HTML)'],
    [/(?:xlink:)?href\s*=\s*["'](?!#|data:image\/)[^"']*["']/i, 'a reference to another file or the network'],
    [/javascript:/i, 'a javascript: URL'],
    [/<!ENTITY/i, 'an XML entity declaration'],
    [/@import/i, 'a stylesheet @import'],
    [/url\(\s*['"]?\s*(?!#|data:image\/)[^)\s'"]/i, 'a url() reference to another file or the network'],
  ] as const;
  const found = problems.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
  if (found.length > 0) {
    diagnostics.push(
      error(
        'image/unsafe-svg',
        `SVG image "${written}" contains ${found.join(', ')}`,
        location,
        'Remove scripts, handlers and external references from the SVG (e.g. export it again as plain SVG).',
      ),
    );
    return false;
  }
  if (/<text[\s>]/i.test(text)) {
    diagnostics.push(
      warning(
        'image/svg-text',
        `SVG image "${written}" contains text, which is drawn in the reader's fonts, not the book's`,
        location,
        'Convert the text to outlines (paths) in your drawing program for the same look everywhere.',
      ),
    );
  }
  return true;
}
